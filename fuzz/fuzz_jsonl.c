/*
 * fuzz_jsonl.c -- libFuzzer target for the JSON Lines reader: the input is
 * a stream of lines fed through the capped line reader, the record parser
 * and the decision writer.  Checks the contract that every input line
 * yields exactly one output line, and never crashes; and that the streaming
 * record reader (yajl) and the tree reader (jansson) read every line alike:
 * same status, same error, same fields.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static arb_engine *engine;

static bool same_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    if (!a || !b)
        return a == b;
    return an == bn && !memcmp(a, b, an);
}

/* the two readers must agree on everything a decision depends on */
static void compare_readers(const char *line, size_t len)
{
    cli_record a, b;
    cli_record_parse(&a, line, len, -1, 2048);
    cli_record_parse_flags(&b, line, len, -1, 2048, CLI_REC_SLOW);
    const char *hl_a = a.post.lang_hint, *hl_b = b.post.lang_hint;
    if (a.status != b.status || strcmp(a.error, b.error) ||
        !same_bytes(a.id, a.id_len, b.id, b.id_len) ||
        !same_bytes(a.post.text, a.post.text_len, b.post.text, b.post.text_len) ||
        strcmp(a.post.author_country, b.post.author_country) ||
        strcmp(a.post.viewer_country, b.post.viewer_country) ||
        a.post.created_at_ms != b.post.created_at_ms ||
        !same_bytes(hl_a, hl_a ? strlen(hl_a) : 0, hl_b, hl_b ? strlen(hl_b) : 0)) {
        fprintf(stderr, "readers disagree: status %d/%d error '%s'/'%s'\n", a.status, b.status,
                a.error, b.error);
        abort();
    }
    cli_record_free(&a);
    cli_record_free(&b);
}
static arb_scratch *scratch;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) {
        arb_error err;
        if (arb_engine_new(NULL, &engine, &err) != ARB_OK ||
            arb_scratch_new(engine, &scratch) != ARB_OK)
            abort();
    }
    FILE *f = fmemopen((void *)data, size ? size : 1, "rb");
    if (!f)
        return 0;
    if (!size) {
        fclose(f);
        return 0;
    }
    cli_lines lr;
    cli_lines_init(&lr, f, 4096);
    cli_str out = {0};
    unsigned long lines = 0;
    const char *line;
    size_t len;
    int k;
    while ((k = cli_lines_next(&lr, &line, &len)) != 0) {
        lines++;
        if (k < 0) {
            cli_str_put(&out, "{}\n", 3);
            continue;
        }
        compare_readers(line, len);
        cli_record r;
        cli_record_parse(&r, line, len, -1, 2048);
        cli_decide_line(engine, scratch, &r, lr.lineno, &out);
        cli_record_free(&r);
    }
    unsigned long nl = 0;
    for (size_t i = 0; i < out.len; i++)
        nl += out.p[i] == '\n';
    if (nl != lines)
        abort(); /* a record vanished or was duplicated */
    cli_str_free(&out);
    cli_lines_free(&lr);
    fclose(f);
    return 0;
}
