#!/usr/bin/env python3
"""gen_corpus.py -- writes a reproducible synthetic corpus of social posts for
the `arbiter scan` throughput benchmark (bench/run.sh).

Output: JSON Lines in the `arbiter scan` input format, one post a line:
  {"id":"p0000001","text":"...","author_country":"UA",
   "created_at":"2022-03-15T10:00:00Z","lang":"uk"}
(`lang` is present on about half of the lines).

What it keeps true:
  - Reproducible: the same --seed and --count give a byte-identical file
    (only random.Random methods whose algorithm is fixed in Python 3 are used:
    random(), choice(), randrange(), lognormvariate(); no hashing of sets or
    dicts decides anything).
  - Language mix EN/RU/UK/PL about 40/25/20/15; text lengths long-tailed
    (log-normal target length, median about 100 bytes of text
    after whole sentences are filled in, a tail to a few KB, capped near 4 KB).
  - About 94% ordinary chatter composed from per-language word lists, about
    3% violent phrasing (threats, death-to formulas, calls to violence) of
    which about a third is obfuscated (leet, spaced letters, Latin/Cyrillic
    homoglyphs, zero-width characters, emoji), and about 3% hard negatives
    (idioms, negation, quotation to condemn, news reporting, titles).
  - Every line is valid JSON with valid UTF-8; nothing here is real data.

The word lists are written for this benchmark; they aim at realistic byte
statistics and a realistic share of lexicon hits, not at linguistic quality.
The corpus is a benchmark input only: never commit it (bench/out/ is ignored).
"""

import argparse
import json
import math
import os
import random
import sys

# ---------------------------------------------------------------------------
# Ordinary chatter, per language: sentence pieces that combine freely.
# ---------------------------------------------------------------------------
CHAT = {
    "en": {
        "open": ["just", "honestly", "ok so", "lol", "wow", "today", "finally", "ugh",
                 "so yeah", "not gonna lie", "guys", "anyway", "btw", "update:", "fun fact:"],
        "subj": ["I", "we", "my sister", "the neighbours", "our team", "my boss", "everyone",
                 "the kids", "my cat", "this city", "the whole office", "my friend", "you"],
        "verb": ["finished", "started", "watched", "cooked", "missed", "found", "loved",
                 "hated", "bought", "fixed", "lost", "booked", "tried", "ordered", "painted",
                 "planned", "recorded", "cleaned", "read", "shared"],
        "obj": ["the new series", "a huge pizza", "the train again", "a cheap flight",
                "my old bike", "the garden", "that podcast", "a great book", "the football match",
                "the exam", "a new phone", "the concert tickets", "grandma's soup recipe",
                "the quarterly report", "a tiny apartment", "the morning bus", "the election debate",
                "the weather forecast", "a second-hand sofa", "the marathon route"],
        "tail": ["this morning", "again", "at last", "for the third time", "before lunch",
                 "after work", "with friends", "all weekend", "in the rain", "yesterday",
                 "right now", "last night", "on the way home"],
        "comment": ["best day ever", "worst idea ever", "can't believe it", "highly recommend",
                    "never again", "so tired", "what a week", "send coffee", "prices are insane",
                    "any tips?", "thoughts?", "10/10", "not impressed", "love this", "who else?"],
    },
    "ru": {
        "open": ["короче", "честно", "ну вот", "блин", "ого", "сегодня", "наконец", "кстати",
                 "слушайте", "эх", "итак", "в общем", "внимание:"],
        "subj": ["я", "мы", "моя сестра", "соседи", "наша команда", "начальник", "все",
                 "дети", "мой кот", "весь офис", "друг", "бабушка", "ты"],
        "verb": ["закончил", "начал", "посмотрел", "приготовил", "пропустил", "нашёл",
                 "купил", "починил", "потерял", "заказал", "попробовал", "прочитал",
                 "убрал", "записал", "спланировал", "забронировал"],
        "obj": ["новый сериал", "огромную пиццу", "электричку", "дешёвый билет", "старый велосипед",
                "огород", "этот подкаст", "хорошую книгу", "футбольный матч", "экзамен",
                "новый телефон", "билеты на концерт", "бабушкин борщ", "квартальный отчёт",
                "маленькую квартиру", "утренний автобус", "прогноз погоды", "диван с рук"],
        "tail": ["сегодня утром", "опять", "наконец-то", "в третий раз", "перед обедом",
                 "после работы", "с друзьями", "все выходные", "под дождём", "вчера",
                 "прямо сейчас", "ночью", "по дороге домой"],
        "comment": ["лучший день", "больше никогда", "не верю", "советую", "устал как собака",
                    "ну и неделя", "цены бешеные", "есть советы?", "что думаете?", "огонь",
                    "так себе", "обожаю", "кто со мной?"],
    },
    "uk": {
        "open": ["коротше", "чесно", "ну от", "ого", "сьогодні", "нарешті", "до речі",
                 "слухайте", "ех", "отже", "загалом", "увага:"],
        "subj": ["я", "ми", "моя сестра", "сусіди", "наша команда", "начальник", "усі",
                 "діти", "мій кіт", "увесь офіс", "друг", "бабуся", "ти"],
        "verb": ["закінчив", "почав", "подивився", "приготував", "пропустив", "знайшов",
                 "купив", "полагодив", "загубив", "замовив", "спробував", "прочитав",
                 "прибрав", "записав", "запланував", "забронював"],
        "obj": ["новий серіал", "величезну піцу", "електричку", "дешевий квиток",
                "старий велосипед", "город", "цей подкаст", "гарну книжку", "футбольний матч",
                "іспит", "новий телефон", "квитки на концерт", "бабусин борщ", "квартальний звіт",
                "маленьку квартиру", "ранковий автобус", "прогноз погоди", "вживаний диван"],
        "tail": ["сьогодні вранці", "знову", "нарешті", "втретє", "перед обідом", "після роботи",
                 "з друзями", "усі вихідні", "під дощем", "учора", "просто зараз", "вночі",
                 "дорогою додому"],
        "comment": ["найкращий день", "більше ніколи", "не віриться", "раджу", "втомився",
                    "ну й тиждень", "ціни скажені", "є поради?", "що скажете?", "вогонь",
                    "так собі", "обожнюю", "хто зі мною?", "Слава Україні!"],
    },
    "pl": {
        "open": ["serio", "no więc", "szczerze", "wow", "dzisiaj", "w końcu", "swoją drogą",
                 "słuchajcie", "ech", "a więc", "ogólnie", "uwaga:"],
        "subj": ["ja", "my", "moja siostra", "sąsiedzi", "nasza drużyna", "szef", "wszyscy",
                 "dzieci", "mój kot", "całe biuro", "kumpel", "babcia", "ty"],
        "verb": ["skończyłem", "zacząłem", "obejrzałem", "ugotowałem", "przegapiłem",
                 "znalazłem", "kupiłem", "naprawiłem", "zgubiłem", "zamówiłem", "spróbowałem",
                 "przeczytałem", "posprzątałem", "nagrałem", "zaplanowałem"],
        "obj": ["nowy serial", "wielką pizzę", "pociąg", "tani lot", "stary rower", "ogródek",
                "ten podcast", "świetną książkę", "mecz piłki nożnej", "egzamin", "nowy telefon",
                "bilety na koncert", "żurek babci", "raport kwartalny", "małe mieszkanie",
                "poranny autobus", "prognozę pogody", "używaną kanapę"],
        "tail": ["dziś rano", "znowu", "nareszcie", "trzeci raz", "przed obiadem", "po pracy",
                 "ze znajomymi", "cały weekend", "w deszczu", "wczoraj", "teraz", "w nocy",
                 "w drodze do domu"],
        "comment": ["najlepszy dzień", "nigdy więcej", "nie wierzę", "polecam", "padam z nóg",
                    "co za tydzień", "ceny to kosmos", "jakieś rady?", "co myślicie?", "sztos",
                    "tak sobie", "uwielbiam", "kto ze mną?"],
    },
}

CHAT_EMOJI = ["😂", "👍", "🔥", "❤️", "🙏", "😅", "🎉", "☕", "🌧️", "⚽", "🇺🇦", "🇵🇱", "😴", "🤔"]
HASHTAGS = ["#monday", "#food", "#travel", "#news", "#football", "#music", "#weekend",
            "#kyiv", "#warszawa", "#moscow", "#coffee", "#books", "#photo", "#work"]
DOMAINS = ["example.com", "news.example.org", "blog.example.net", "video.example.tv"]

# ---------------------------------------------------------------------------
# Violent phrasing, per language.  {t} is a target.  These are benchmark
# inputs that make the matcher fire at a realistic rate, not test oracles.
# ---------------------------------------------------------------------------
VIOLENT = {
    "en": {
        "tpl": ["death to {t}", "kill all {t}", "I will kill {t}", "someone should shoot {t}",
                "{t} should be hanged", "I hope {t} die", "burn {t} alive",
                "we will find {t} and kill them", "{t} deserve to die", "shoot {t} on sight",
                "if {t} come here I'll stab them"],
        "tgt": ["the invaders", "the occupiers", "russian soldiers", "Putin", "Lukashenko",
                "russians", "that guy from work", "my neighbour", "the journalists", "them",
                "the judge", "@user1234"],
    },
    "ru": {
        "tpl": ["смерть {t}", "убей {t}", "убить всех {t}", "я убью {t}", "повесить {t}",
                "расстрелять {t}", "сжечь {t}", "надо мочить {t}", "чтоб {t} сдохли"],
        "tgt": ["оккупантам", "захватчиков", "Путина", "Путину", "Лукашенко", "русских",
                "соседа", "журналистов", "их", "хохлов", "этого урода"],
    },
    "uk": {
        "tpl": ["смерть {t}", "вбий {t}", "вбити всіх {t}", "я вб'ю {t}", "повісити {t}",
                "розстріляти {t}", "спалити {t}", "щоб {t} здохли"],
        "tgt": ["окупантам", "ворогам", "загарбників", "орків", "Путіна", "Путіну",
                "росіян", "сусіда", "журналістів", "їх", "кацапів"],
    },
    "pl": {
        "tpl": ["śmierć {t}", "zabij {t}", "zabić wszystkich {t}", "zabiję {t}",
                "powiesić {t}", "rozstrzelać {t}", "spalić {t}", "niech {t} zdychają"],
        "tgt": ["okupantom", "najeźdźców", "Putinowi", "Putina", "Łukaszenkę", "ruskich",
                "sąsiada", "dziennikarzy", "ich", "kacapów"],
    },
}
VIOLENT_EMOJI = ["🔪", "💀", "☠️", "⚰️", "🔫", "💣", "🪓", "🗡️", "🪢"]

# Hard negatives: idioms, negation, quotation to condemn, news, titles.
BENIGN_HARD = {
    "en": ["this heat is killing me", "you killed it at the exam!", "kill the process and restart",
           "I would never kill anyone", "posts saying \"kill all {t}\" are disgusting",
           "troops shelled Kharkiv, killing 20 civilians", "rewatching Kill Bill tonight",
           "my feet are dying after that hike", "that joke killed me", "dead tired lol",
           "the battery is dead again", "reported a post that said \"death to {t}\""],
    "ru": ["убить время в очереди", "эта жара меня убивает", "я бы никогда никого не убил",
           "писать «смерть {t}» мерзко", "обстрел Харькова, погибли 20 человек",
           "со смеху умер", "телефон опять сдох", "убийственно скучный фильм"],
    "uk": ["вбити час у черзі", "ця спека мене вбиває", "я б ніколи нікого не вбив",
           "писати «смерть {t}» огидно", "обстріл Харкова, загинули 20 людей",
           "Слава Україні! Героям слава!", "телефон знову здох", "помер зі сміху"],
    "pl": ["zabić czas w kolejce", "ten upał mnie zabija", "nigdy bym nikogo nie zabił",
           "pisanie \"śmierć {t}\" jest obrzydliwe", "ostrzał Charkowa, zginęło 20 osób",
           "umarłem ze śmiechu", "bateria znowu padła", "zabójczo nudny film"],
}

LAT2CYR = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і",
           "k": "к", "m": "м", "t": "т", "h": "н", "b": "в"}
CYR2LAT = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
           "к": "k", "м": "m", "т": "t"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "l": "1", "s": "5", "t": "7",
        "е": "3", "о": "0", "а": "@", "з": "3", "ч": "4"}
ZW = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060"]

# ---------------------------------------------------------------------------
# Countries, dates, lengths.
# ---------------------------------------------------------------------------
OVERLAY = ["AM", "AZ", "EE", "GE", "HU", "LV", "LT", "PL", "RO", "RU", "SK", "UA"]
OTHERS = ["US", "GB", "DE", "FR", "CA", "BY", "KZ", "IN", "BR", "IT", "ES", "NL", "SE",
          "CZ", "MD", "TR", "IL", "AU", "JP", "FI"]
COUNTRY_BY_LANG = {  # (mostly home countries, then anything)
    "en": ["US", "US", "GB", "GB", "CA", "AU", "IN", "DE", "NL", "SE"],
    "ru": ["RU", "RU", "RU", "BY", "KZ", "UA", "LV", "EE", "MD", "GE", "AM", "AZ"],
    "uk": ["UA", "UA", "UA", "UA", "PL", "DE", "CZ", "MD"],
    "pl": ["PL", "PL", "PL", "PL", "DE", "GB", "LT"],
}
LANGS = ["en", "ru", "uk", "pl"]
LANG_CUM = [0.40, 0.65, 0.85, 1.00]

DATE_START = 1609459200          # 2021-01-01T00:00:00Z
DATE_END = 1735689600            # 2025-01-01T00:00:00Z (exclusive)
WAR_START = 1645660800           # 2022-02-24T00:00:00Z
WAR_BUMP_END = 1651363200        # 2022-05-01T00:00:00Z

MEDIAN_BYTES = 68.0
SIGMA = 0.95
MAX_BYTES = 4000


def civil_from_days(z):
    """Days since 1970-01-01 -> (year, month, day); proleptic Gregorian."""
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def rfc3339(ts):
    days, secs = divmod(ts, 86400)
    y, m, d = civil_from_days(days)
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, m, d, secs // 3600, secs // 60 % 60, secs % 60)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.stats = {"en": 0, "ru": 0, "uk": 0, "pl": 0, "violent": 0, "obfuscated": 0,
                      "hard_negative": 0, "with_lang": 0, "bytes_text": 0}

    def pick_lang(self):
        x = self.r.random()
        for lang, c in zip(LANGS, LANG_CUM):
            if x < c:
                return lang
        return "pl"

    def target_len(self):
        n = self.r.lognormvariate(math.log(MEDIAN_BYTES), SIGMA)
        return max(8, min(MAX_BYTES, int(n)))

    def chat_sentence(self, lang):
        w = CHAT[lang]
        r = self.r
        parts = []
        if r.random() < 0.3:
            parts.append(r.choice(w["open"]))
        parts.append(r.choice(w["subj"]))
        parts.append(r.choice(w["verb"]))
        parts.append(r.choice(w["obj"]))
        if r.random() < 0.6:
            parts.append(r.choice(w["tail"]))
        s = " ".join(parts)
        x = r.random()
        if x < 0.25:
            s += ", " + r.choice(w["comment"])
        s += r.choice([".", ".", "!", "...", " -", "?"]) if x < 0.9 else ""
        x = r.random()
        if x < 0.15:
            s += " " + r.choice(CHAT_EMOJI)
        elif x < 0.22:
            s += " " + r.choice(HASHTAGS)
        elif x < 0.25:
            s += " https://%s/%d" % (r.choice(DOMAINS), r.randrange(100000, 999999))
        elif x < 0.28:
            s = "@user%d %s" % (r.randrange(1, 99999), s)
        return s

    def obfuscate(self, s):
        """One obfuscation of the violent phrase `s` (all of it: the whole
        short phrase gets the treatment, as real evaders do)."""
        r = self.r
        kind = r.randrange(6)
        if kind == 0:    # leet
            return "".join(LEET.get(ch, ch) if r.random() < 0.6 else ch for ch in s)
        if kind == 1:    # spaced or dotted letters in the first word
            head, sep, rest = s.partition(" ")
            joiner = r.choice([" ", ".", "-", " . "])
            return joiner.join(head) + sep + rest
        if kind == 2:    # mixed Latin/Cyrillic homoglyphs
            table = CYR2LAT if any("\u0400" <= ch <= "\u04ff" for ch in s) else LAT2CYR
            return "".join(table.get(ch, ch) if r.random() < 0.5 else ch for ch in s)
        if kind == 3:    # zero-width and soft hyphens inside words
            out = []
            for ch in s:
                out.append(ch)
                if ch != " " and r.random() < 0.3:
                    out.append(r.choice(ZW))
            return "".join(out)
        if kind == 4:    # masking
            out = list(s)
            for i in range(1, len(out) - 1):
                if out[i] in "aeiouаеиоуыяюіїєąęó" and r.random() < 0.5:
                    out[i] = "*"
                    break
            return "".join(out)
        # repeated letters, shouting
        return "".join(ch * 3 if r.random() < 0.1 else ch for ch in s).upper()

    def violent_phrase(self, lang):
        r = self.r
        v = VIOLENT[lang]
        s = r.choice(v["tpl"]).format(t=r.choice(v["tgt"]))
        if r.random() < 0.35:
            s = self.obfuscate(s)
            self.stats["obfuscated"] += 1
        if r.random() < 0.4:
            s += " " + "".join(r.choice(VIOLENT_EMOJI) for _ in range(r.randrange(1, 4)))
        elif r.random() < 0.2:
            s = r.choice(VIOLENT_EMOJI) + " " + s
        if r.random() < 0.3:
            s += "!" * r.randrange(1, 4)
        return s

    def hard_negative(self, lang):
        r = self.r
        return r.choice(BENIGN_HARD[lang]).format(t=r.choice(VIOLENT[lang]["tgt"]))

    def text(self, lang):
        r = self.r
        want = self.target_len()
        x = r.random()
        special = None
        if x < 0.03:
            special = self.violent_phrase(lang)
            self.stats["violent"] += 1
        elif x < 0.06:
            special = self.hard_negative(lang)
            self.stats["hard_negative"] += 1
        pieces = []
        size = 0
        if special is not None:
            pieces.append(special)
            size = len(special.encode("utf-8"))
        while size < want:
            s = self.chat_sentence(lang)
            # mixed-language posts now and then (quote in English, etc.)
            if r.random() < 0.03:
                s = self.chat_sentence(r.choice(LANGS))
            pieces.append(s)
            size += len(s.encode("utf-8")) + 1
        if special is not None and len(pieces) > 1 and r.random() < 0.5:
            # put the special phrase at the end or in the middle, not always first
            pos = r.randrange(1, len(pieces))
            pieces.insert(pos, pieces.pop(0))
        if len(pieces) > 1 and r.random() < 0.15:
            return "\n".join(pieces)
        return " ".join(pieces)

    def when(self):
        r = self.r
        if r.random() < 0.15:   # more chatter around the invasion
            return r.randrange(WAR_START, WAR_BUMP_END)
        return r.randrange(DATE_START, DATE_END)

    def country(self, lang):
        r = self.r
        x = r.random()
        if x < 0.75:
            return r.choice(COUNTRY_BY_LANG[lang])
        if x < 0.9:
            return r.choice(OVERLAY)
        return r.choice(OTHERS)

    def post(self, i):
        lang = self.pick_lang()
        self.stats[lang] += 1
        text = self.text(lang)
        self.stats["bytes_text"] += len(text.encode("utf-8"))
        rec = {"id": "p%07d" % i, "text": text, "author_country": self.country(lang),
               "created_at": rfc3339(self.when())}
        if self.r.random() < 0.5:
            rec["lang"] = lang
            self.stats["with_lang"] += 1
        return rec


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write a reproducible JSON Lines corpus of "
                                             "synthetic social posts for the arbiter benchmark.")
    ap.add_argument("--count", type=int, default=1000000, help="number of posts (default 1000000)")
    ap.add_argument("--seed", type=int, default=20220310, help="random seed (default 20220310)")
    ap.add_argument("-o", "--output", default=None,
                    help="output file (default bench/out/corpus-COUNT-SEED.jsonl; '-' for stdout)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    a = ap.parse_args(argv)
    if a.count < 0:
        ap.error("--count must be >= 0")
    out = a.output
    if out is None:
        here = os.path.dirname(os.path.abspath(__file__))
        os.makedirs(os.path.join(here, "out"), exist_ok=True)
        out = os.path.join(here, "out", "corpus-%d-%d.jsonl" % (a.count, a.seed))

    g = Gen(a.seed)
    tmp = None
    if out == "-":
        f = sys.stdout.buffer
    else:
        tmp = out + ".tmp"
        f = open(tmp, "wb")
    total = 0
    batch = []
    for i in range(1, a.count + 1):
        line = json.dumps(g.post(i), ensure_ascii=False, separators=(",", ":")) + "\n"
        batch.append(line)
        if len(batch) == 4096:
            b = "".join(batch).encode("utf-8")
            total += len(b)
            f.write(b)
            batch = []
    b = "".join(batch).encode("utf-8")
    total += len(b)
    f.write(b)
    if tmp is not None:
        f.close()
        os.replace(tmp, out)   # a half-written corpus never looks complete
    else:
        f.flush()
    if not a.quiet:
        s = g.stats
        n = max(1, a.count)
        sys.stderr.write(
            "gen_corpus: %s: %d posts, %d bytes (%.1f MB), text mean %.0f bytes; "
            "en %.1f%% ru %.1f%% uk %.1f%% pl %.1f%%; violent %.2f%% (obfuscated %.2f%%), "
            "hard negatives %.2f%%, lang hint %.1f%%\n" % (
                out, a.count, total, total / 1e6, s["bytes_text"] / n,
                100.0 * s["en"] / n, 100.0 * s["ru"] / n, 100.0 * s["uk"] / n, 100.0 * s["pl"] / n,
                100.0 * s["violent"] / n, 100.0 * s["obfuscated"] / n,
                100.0 * s["hard_negative"] / n, 100.0 * s["with_lang"] / n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
