#!/usr/bin/env python3
"""gen_posts.py -- posts for the `arbiter stream` tests and benchmark.

Writes N JSON Lines records (stdout): mixed English, Russian, Ukrainian and
Polish posts, violent and benign, from several countries and dates around
the March 2022 policy change, with unique ids "s0000001".., plus about 1% of
lines that a worker must turn into error records instead of decisions:
bad JSON, a non-object, a missing field, a bad country, invalid UTF-8, an
empty line and (with --max-text) an over-long text.

Reproducible: the same --seed and count give the same bytes.
"""
import argparse
import json
import random
import sys

TEMPLATES = {
    "en": [
        "I will kill you tomorrow at your office",
        "Death to the Russian invaders!",
        "This heat is killing me",
        "Someone should shoot {t} before it is too late",
        "We hope {t} dies in a fire",
        "The news reports that {t} was killed yesterday",
        "I condemn anyone who says kill {t}",
        "Great match, our striker killed it tonight",
        "Let's meet for coffee at 10",
        "If {t} comes here again I will stab him",
        "k1ll {t} n0w",
    ],
    "ru": [
        "Смерть русским оккупантам!",
        "Я убью тебя завтра",
        "Надо убить {t}",
        "Погода сегодня отличная",
        "Эта жара меня убивает",
        "В новостях сообщили, что {t} убит",
    ],
    "uk": [
        "Смерть ворогам!",
        "Я тебе вб'ю завтра біля роботи",
        "Треба вбити {t}",
        "Гарного дня всім",
        "Слава Україні, героям слава",
    ],
    "pl": [
        "Zabiję cię jutro",
        "Śmierć okupantom!",
        "Trzeba zabić {t}",
        "Dzień dobry, co słychać?",
        "Ten upał mnie zabija",
    ],
}
TARGETS = {
    "en": ["Putin", "the president", "my neighbour", "Russian soldiers", "the mayor"],
    "ru": ["Путина", "президента", "соседа", "солдат"],
    "uk": ["Путіна", "президента", "сусіда", "окупантів"],
    "pl": ["Putina", "prezydenta", "sąsiada", "żołnierzy"],
}
COUNTRIES = ["UA", "PL", "RU", "US", "GB", "DE", "LT", "LV", "EE", "BY"]
DATES = ["2022-02-20T08:00:00Z", "2022-03-01T12:00:00Z", "2022-03-15T10:30:00Z",
         "2022-06-01T18:00:00Z", "2023-06-01T12:00:00Z"]


def bad_line(rng, i, max_text):
    kind = rng.randrange(7)
    pid = "s%07d" % i
    if kind == 0:
        return b'{"id": "%s", "text": "unterminated' % pid.encode()
    if kind == 1:
        return b"[1, 2, 3]"
    if kind == 2:
        return json.dumps({"id": pid, "author_country": "UA",
                           "created_at": DATES[0]}).encode()
    if kind == 3:
        return json.dumps({"id": pid, "text": "hello", "author_country": "XX",
                           "created_at": DATES[1]}).encode()
    if kind == 4:  # invalid UTF-8 inside the text: repaired, then decided
        return (b'{"id": "%s", "text": "kill \xff\xfe you", "author_country": "US", '
                b'"created_at": "2022-03-15T10:30:00Z"}' % pid.encode())
    if kind == 5:
        return b""
    if max_text:
        return json.dumps({"id": pid, "text": "x" * (max_text + 1), "author_country": "PL",
                           "created_at": DATES[2]}).encode()
    return b"not json at all"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--bad-every", type=int, default=97,
                    help="about one line in N is malformed (default 97)")
    ap.add_argument("--max-text", type=int, default=0,
                    help="also write texts longer than this (give the same --max-text to the tools)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    out = sys.stdout.buffer
    for i in range(1, a.count + 1):
        if rng.randrange(a.bad_every) == 0:
            out.write(bad_line(rng, i, a.max_text) + b"\n")
            continue
        lang = rng.choice(sorted(TEMPLATES))
        text = rng.choice(TEMPLATES[lang]).replace("{t}", rng.choice(TARGETS[lang]))
        rec = {"id": "s%07d" % i, "text": text, "author_country": rng.choice(COUNTRIES),
               "created_at": rng.choice(DATES)}
        if rng.randrange(2):
            rec["lang"] = lang
        out.write(json.dumps(rec, ensure_ascii=False).encode() + b"\n")


if __name__ == "__main__":
    main()
