#!/usr/bin/env python3
"""Regenerates fold.txt and merges Traditional entries into zh.lex.

fold.txt maps Traditional characters to their Simplified forms, for the
characters the Chinese lexicons use (a Traditional character whose
Simplified form no entry contains cannot change a match, so it is left
out). The pairs come from OpenCC's TSCharacters dictionary (Apache-2.0,
https://github.com/BYVoid/OpenCC). Needs `pip install
opencc-python-reimplemented`; run it after changing zh.lex or yue.lex:

    python3 transcript/src/lexicons/make_fold.py
"""
import os
import opencc

HERE = os.path.dirname(os.path.abspath(__file__))
DICT = os.path.join(os.path.dirname(opencc.__file__), 'dictionary', 'TSCharacters.txt')


def lexicon_chars():
    chars = set()
    for name in ('zh.lex', 'yue.lex'):
        section = ''
        for line in open(os.path.join(HERE, name), encoding='utf-8'):
            line = line.strip()
            if not line or line.startswith('#') or line.startswith('@'):
                continue
            if line.startswith('[') and line.endswith(']'):
                section = line[1:-1]
                continue
            if section == 'normalize':
                # Rewrites run before folding; what they produce is folded.
                line = line.split(None, 1)[1] if ' ' in line else line
            chars.update(c for c in line if '\u3400' <= c <= '\u9fff')
    return chars


def main():
    wanted = lexicon_chars()
    pairs = []
    for line in open(DICT, encoding='utf-8'):
        if not line.strip() or line.startswith('#'):
            continue
        trad, simp = line.rstrip('\n').split('\t')
        simp = simp.split(' ')[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp and simp in wanted:
            pairs.append(trad + simp)
    pairs.sort()
    with open(os.path.join(HERE, 'fold.txt'), 'w', encoding='utf-8') as out:
        out.write(''.join(pairs))
    print(f'fold.txt: {len(pairs)} pairs for {len(wanted)} lexicon characters')


if __name__ == '__main__':
    main()
