/*
 * fuzz_jsonl.c -- libFuzzer target for the JSON Lines reader: the input is
 * a stream of lines fed through the capped line reader, the record parser
 * and the decision writer.  Checks the contract that every input line
 * yields exactly one output line, and never crashes.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static arb_engine *engine;
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
