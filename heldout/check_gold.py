"""Check the held-out gold files against GOLD.md and the texts.

Run: python3 heldout/check_gold.py   (from the worktree root, or from heldout/)

Checks: every item has the GOLD.md fields; types, granularities, qualifiers and
event types are SPEC values; dates parse as ISO and value_start <= value_end;
day/month/year granularities cover exactly their unit; aliases differ from the
name (case, ё) and do not collide across actors; participants and treaty
parties are actors of the document; event treaties are treaties of the
document; every date "text" occurs in the normalized text, in order; every
event "evidence" is an exact substring of the normalized text.

"Normalized text" = the reading text a careful annotator sees: pre-1918
letters modernized (010), PDF furniture and hyphenation removed (013),
whitespace collapsed.
"""
import calendar, datetime, json, os, re, sys


HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = ["010_tilsit_1807.txt", "011_brest_1918.txt", "012_northern_war.txt", "013_1939.txt"]
TYPES = {"PERSON", "ORGANIZATION", "STATE", "LOCATION"}
GRAN = {"day", "month", "season", "year", "decade", "century", "range"}
QUAL = {"early", "mid", "late", "approx", "before", "after", ""}
EVENTS = set("""TREATY_SIGNING TREATY_RATIFICATION TREATY_REJECTION TREATY_TERMINATION
RECOGNITION RELATIONS_ESTABLISHED RELATIONS_BROKEN RELATIONS_RESTORED ACCESSION ELECTION
GOVERNMENT_FORMATION UPRISING WAR BATTLE OCCUPATION STRIKE RAID NEGOTIATIONS CONFERENCE OTHER""".split())
FIELDS = {
    "actors": ("name", "type", "aliases"),
    "dates": ("text", "value_start", "value_end", "granularity", "qualifier"),
    "treaties": ("name", "kind", "aliases", "date_signed", "place", "parties"),
    "events": ("type", "date_start", "date_end", "participants", "treaty", "place", "evidence"),
}


# pre-1918 orthography -> modern (only the rules and words these texts need)
def modernize(s):
    for a,b in [('ѣ','е'),('Ѣ','Е'),('і','и'),('І','И'),('ѳ','ф'),('Ѳ','Ф'),('ѵ','и')]:
        s = s.replace(a,b)
    s = re.sub(r'ъ(?=[^А-Яа-яЁё]|$)', '', s)
    s = re.sub(r'аго\b', 'ого', s); s = re.sub(r'яго\b', 'его', s)
    for a,b in [('русския','русские'),('успевшия','успевшие'),('прусския','прусские'),('тильзитския','тильзитские'),
                ('разсчитывал','рассчитывал'),('обезпечила','обеспечила'),('Иена','Йена')]:
        s = s.replace(a,b)
    return s


# page furniture of 013 (running header; page-number lines are matched by pattern)
FURN = {"Глава 9. Дипломатия накануне и в начале Второй мировой войны"}
COMPOUND_BREAKS = ("германо-",)  # line-final hyphens that belong to a compound


def unpdf(s):
    lines = s.split('\n')
    keep = [l for l in lines if l.strip() not in FURN and not re.fullmatch(r'\s*\d+\s*', l) and l.strip()!='']
    out = ''
    for l in keep:
        l2 = l.strip()
        if out.endswith('-') and not out.endswith(' -'):
            if out.endswith(COMPOUND_BREAKS): out += l2
            else: out = out[:-1] + l2
        else:
            out += (' ' if out else '') + l2
    return out


def flat(s):
    return re.sub(r'\s+', ' ', s)


def reading_text(name, raw):
    if name.startswith("010"):
        return flat(modernize(raw))
    if name.startswith("013"):
        return flat(unpdf(raw))
    return flat(raw)


def key(s):
    return s.lower().replace("ё", "е")


def main():
    iso = datetime.date.fromisoformat
    errors = []
    def err(doc, *a):
        errors.append(doc + ": " + " ".join(map(str, a)))
    for name in DOCS:
        raw = open(os.path.join(HERE, name), encoding="utf-8").read()
        g = json.load(open(os.path.join(HERE, "gold", name[:-4] + ".json"), encoding="utf-8"))
        if g.get("doc") != name:
            err(name, "doc field", g.get("doc"))
        for sec, fields in FIELDS.items():
            for item in g[sec]:
                for f in fields:
                    if f not in item:
                        err(name, sec, "missing", f, item)
        text = key(reading_text(name, raw))
        seen = {}
        for a in g["actors"]:
            if a["type"] not in TYPES:
                err(name, "actor type", a)
            for n in [a["name"]] + a["aliases"]:
                k = key(n)
                if n != a["name"] and k == key(a["name"]):
                    err(name, "alias equals name", a["name"])
                if seen.get(k, a["name"]) != a["name"]:
                    err(name, "alias collision", n)
                seen[k] = a["name"]
        actors = {a["name"] for a in g["actors"]}
        pos = 0
        for d in g["dates"]:
            s, e = iso(d["value_start"]), iso(d["value_end"])
            if s > e:
                err(name, "value_start > value_end", d)
            if d["granularity"] not in GRAN or d["qualifier"] not in QUAL:
                err(name, "granularity/qualifier", d)
            if d["granularity"] == "day" and s != e:
                err(name, "day spans", d)
            if d["granularity"] == "month" and not (s.day == 1 and (s.year, s.month) == (e.year, e.month)
                                                    and e.day == calendar.monthrange(e.year, e.month)[1]):
                err(name, "month bounds", d)
            if d["granularity"] == "year" and not (s == datetime.date(s.year, 1, 1) and e == datetime.date(s.year, 12, 31)):
                err(name, "year bounds", d)
            i = text.find(key(d["text"]), pos)
            if i < 0:
                err(name, "date text not found (in order)", d["text"])
            else:
                pos = i + 1
        treaties = set()
        for t in g["treaties"]:
            treaties.add(t["name"])
            if t["date_signed"]:
                iso(t["date_signed"])
            for p in t["parties"]:
                if p not in actors:
                    err(name, "party not an actor", p)
            for al in t["aliases"]:
                if key(al) == key(t["name"]):
                    err(name, "treaty alias equals name", t["name"])
        for ev in g["events"]:
            if ev["type"] not in EVENTS:
                err(name, "event type", ev["type"])
            if iso(ev["date_start"]) > iso(ev["date_end"]):
                err(name, "event dates", ev)
            for p in ev["participants"]:
                if p not in actors:
                    err(name, "participant not an actor", p)
            if ev["treaty"] and ev["treaty"] not in treaties:
                err(name, "unknown treaty", ev["treaty"])
            if key(ev["evidence"]) not in text:
                err(name, "evidence not in text", ev["evidence"])
        print(f"{name}: {len(raw)} chars; actors {len(g['actors'])}, dates {len(g['dates'])}, "
              f"treaties {len(g['treaties'])}, events {len(g['events'])}")
    for e in errors:
        print("ERROR", e)
    print("errors:", len(errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
