"""truth.py - what the benchmarks read from the generator's ground truth:
text folded as sohoa folds it for search, and a record's person."""
import unicodedata


def fold(s):
    """Lowercase, no tones or marks, đ -> d, words separated by one space."""
    s = s.replace('đ', 'd').replace('Đ', 'D')
    s = unicodedata.normalize('NFD', s)
    s = ''.join(c for c in s if unicodedata.category(c) != 'Mn')
    return ' '.join(''.join(c if c.isalnum() else ' ' for c in s.lower()).split())


def name_of(f):
    """The name a record is about, from its fields: ho_ten, the husband's,
    the first owner's; None when it has none."""
    for k in ('ho_ten', 'ho_ten_chong', 'chu_su_dung'):
        v = f.get(k)
        if isinstance(v, list):
            v = v[0] if v else None
        if v:
            return v
    return None
