"""wellformed.py - the measure of shared/real/noharm.py, shared by the
real-pages bench (tests/bench/real.py) and test (tests/e2e/realpages.sh):
the tokens of a text that are well-formed Vietnamese syllables (Debian's
hunspell-vi word list) or numbers. A page's content is fixed, so more
valid tokens means more of it read; junk does not count."""
import re
import unicodedata

DIC = "/usr/share/hunspell/vi_VN.dic"


def _syllables():
    try:
        with open(DIC, encoding="utf-8") as f:
            return {unicodedata.normalize("NFC", l.strip().split("/")[0]).lower()
                    for l in f.readlines()[1:] if l.strip()}
    except OSError as e:
        raise SystemExit("cannot read '%s': %s (install hunspell-vi)" % (DIC, e.strerror))


SYL = _syllables()


def valid(text):
    return sum(1 for t in re.findall(r"\w+", unicodedata.normalize("NFC", text))
               if t.isdigit() or t.lower() in SYL)
