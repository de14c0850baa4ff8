#!/usr/bin/env python3
"""Writes compliance_golden.json: jmespath.py's own answer to every case of
the compliance suite in compliance/ (run from this directory:
python3 gen_golden.py > compliance_golden.json).

Each entry: file, group (index of the "given" block), case (index in it),
expression, and the outcome: phase "ok" with json (json.dumps of the result,
separators (',', ':'), key order kept), or phase "compile"/"search" with
class and message (str() of the exception, the expression object address
normalised)."""
import glob
import json
import os
import re
import sys

import jmespath

HERE = os.path.dirname(os.path.abspath(__file__))


def awscli_encoder(obj):
    # awscli.utils.json_encoder for anything json cannot encode itself.
    raise TypeError('Encountered unrecognized type in JSON encoder.')


def outcome(expression, given):
    try:
        compiled = jmespath.compile(expression)
    except Exception as e:  # the AWS CLI catches everything here
        return {'phase': 'compile', 'class': type(e).__name__, 'message': norm(str(e))}
    try:
        result = compiled.search(given)
    except Exception as e:
        return {'phase': 'search', 'class': type(e).__name__, 'message': norm(str(e))}
    try:
        text = json.dumps(result, separators=(',', ':'), default=awscli_encoder)
    except TypeError as e:
        return {'phase': 'search', 'class': 'TypeError', 'message': str(e)}
    return {'phase': 'ok', 'json': text}


def norm(msg):
    return re.sub(r'object at 0x[0-9a-f]+', 'object at 0x7f0000000000', msg)


def main():
    out = []
    files = sorted(glob.glob(os.path.join(HERE, 'compliance', '*.json')))
    files += sorted(glob.glob(os.path.join(HERE, 'compliance', 'legacy', '*.json')))
    for path in files:
        with open(path, encoding='utf-8') as f:
            groups = json.load(f)
        name = os.path.relpath(path, os.path.join(HERE, 'compliance'))
        for gi, group in enumerate(groups):
            for ci, case in enumerate(group['cases']):
                entry = {'file': name, 'group': gi, 'case': ci,
                         'expression': case['expression']}
                entry.update(outcome(case['expression'], group['given']))
                out.append(entry)
    json.dump(out, sys.stdout, indent=1, ensure_ascii=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
