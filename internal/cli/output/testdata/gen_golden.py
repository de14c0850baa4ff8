"""Writes golden.json: named inputs and what the AWS CLI's formatters make of
them (see oracle.py), so that golden_test.go checks them without Python.

    /usr/bin/python3 testdata/gen_golden.py   # from internal/cli/output

Run it with a Python that has the AWS CLI v2 package and ruamel.yaml's C
emitter (Debian's awscli and python3-ruamel.yaml), so that the yaml outputs
come from v2's own YAMLDumper.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

TITLE = 'ListUsers'
TABLES = {
    'table-80': (80, False, False),
    'table-200': (200, False, False),
    'table-40-color-stdout': (40, True, True),
    'table-120-color-pager': (120, True, False),
}

LOREM = ('Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod '
         'tempor incididunt ut labore et dolore magna aliqua.')

CASES = {
    'empty-object': '{}',
    'empty-list': '[]',
    'null': 'null',
    'string': '"us-west-2_EXAMPLE"',
    'int': '42',
    'float': '2.0',
    'zero': '0',
    'false': 'false',
    'true': 'true',
    'empty-string': '""',
    'scalar-list': '["a", 1, 2.5, true, null, ""]',
    'empty-members': '{"Users": [], "Pool": {}, "Name": "x"}',
    'list-of-empties': '[[], {}, [[]], [{}]]',
    'lists-of-lists': '[[1, 2], [3, 4], [5, 6]]',
    'ragged-lists': '[[1, 2], [3]]',
    'nested-lists': '{"Matrix": [[[1, 2], [3]], [[4]]], "Flat": [1, [2, [3, [4]]]]}',
    'mixed-list': '["a", ["b", "c"], "d", {"K": "v"}]',
    'mixed-list-scalars-first': '[1, ["x", "y"], 2]',
    'dict-then-scalar': '[{"a": 1}, "oops"]',
    'dict-then-empty-list': '[{"a": 1}, []]',
    'text-fails-midway': '{"A": "x", "B": {"C": "y"}, "L": [{"a": 1}, 2], "Z": "never"}',
    'heterogeneous-dicts': '[{"a": 1, "b": 2}, {"b": 3, "c": 4}, {"a": 5, "d": {"x": 1}}]',
    'scalar-and-dict-same-key': '[{"a": 1}, {"a": {"x": 1}}]',
    'numbers': '{"Int": 7, "Neg": -3, "Big": 9007199254740993, "Float": 1.5, "Two": 2.0, "Huge": 1e16,'
               ' "Tiny": 1e-05, "Small": 0.0001, "Max": 1.7976931348623157e308, "NegZero": -0.0}',
    'booleans-and-nulls': '{"T": true, "F": false, "N": null, "L": [true, false, null]}',
    'unicode': '{"Name": "caf\\u00e9 \\u65e5\\u672c\\u8a9e", "Emoji": "\\ud83d\\ude00 ok",'
               ' "Wide": "\\uff01\\u5168\\u89d2", "Ambiguous": "\\u00b1\\u20ac", "Combining": "e\\u0301",'
               ' "Tab": "a\\tb", "Newline": "l1\\nl2", "Quote": "say \\"hi\\"", "Backslash": "a\\\\b",'
               ' "Control": "\\u0001\\u001f", "LS": "\\u2028", "Slash": "</html>&"}',
    'unicode-keys': '{"stra\\u00dfe": 1, "\\ufb01le": 2, "\\u952e": {"\\u00df": [1, 2]}, "\\u0130": 3}',
    'yaml-quoting': json.dumps({s: s for s in [
        '1111', 'true', 'yes', 'null', '', '1.5', '2024-01-01', '2024-01-01T00:00:00+00:00', '*x', '&x',
        '- x', '#x', '@x', '?x', 'a: b', ' edge', "it's", 'say "hi"', 'café 😀', 'a\tb', 'x\ny',
        '0o17', '0x1F', '.inf', '~', '<<', '=']}, ensure_ascii=False),
    'yaml-long-strings': json.dumps({'Plain': LOREM + ' ' + LOREM, 'Quoted': "'" + LOREM + ' ' + LOREM,
                                     'Double': '\t' + LOREM + ' ' + LOREM, 'Multi': LOREM + '\n\n' + LOREM,
                                     'Nested': {'Deeper': [LOREM + ' ' + LOREM]}}),
    'wide-cell': json.dumps({'Description': 'w' * 300, 'Id': 'x'}),
    'wide-header': json.dumps({'H' * 90: 'v', 'Short': 'x'}),
    'east-asian-cells': '{"Name": "\\u65e5\\u672c\\u8a9e\\u30c6\\u30ad\\u30b9\\u30c8", "Kana": "\\uff76\\uff80\\uff76\\uff85",'
                        ' "Tags": [{"Key": "\\u7528\\u9014", "Value": "\\u30c6\\u30b9\\u30c8"}]}',
    'users': json.dumps({'Users': [
        {'Username': 'alice', 'Enabled': True, 'UserStatus': 'CONFIRMED',
         'UserCreateDate': '2024-01-01T00:00:00+00:00',
         'Attributes': [{'Name': 'email', 'Value': 'alice@example.com'},
                        {'Name': 'sub', 'Value': '5b8a1c2e-0000-4000-8000-000000000001'}]},
        {'Username': 'bob', 'Enabled': False, 'UserStatus': 'FORCE_CHANGE_PASSWORD',
         'UserCreateDate': '2024-02-29T12:30:00.123000+00:00', 'Attributes': []},
    ]}),
    'user-pool': json.dumps({'UserPool': {
        'Id': 'us-west-2_EXAMPLE', 'Name': 'MyPool', 'Status': 'Enabled',
        'Policies': {'PasswordPolicy': {'MinimumLength': 8, 'RequireUppercase': True,
                                        'RequireLowercase': True, 'RequireNumbers': True,
                                        'RequireSymbols': True, 'TemporaryPasswordValidityDays': 7}},
        'LambdaConfig': {}, 'SchemaAttributes': [
            {'Name': 'sub', 'AttributeDataType': 'String', 'Mutable': False, 'Required': True,
             'StringAttributeConstraints': {'MinLength': '1', 'MaxLength': '2048'}},
            {'Name': 'email', 'AttributeDataType': 'String', 'Mutable': True, 'Required': False,
             'StringAttributeConstraints': {'MinLength': '0', 'MaxLength': '2048'}}],
        'AutoVerifiedAttributes': ['email'], 'EstimatedNumberOfUsers': 2,
        'MfaConfiguration': 'OFF'}}),
    'single-scalar-dict': '{"UserPoolId": "us-west-2_EXAMPLE"}',
    'only-nested': '{"A": {"B": {"C": {"D": "deep"}}}}',
    'many-columns': json.dumps({'Row': {('Column%02d' % i): ('value%d' % i) for i in range(15)}}),
    'rounding': json.dumps([{'a': 'x' * 3, 'b': 'y' * 7, 'c': 'z' * 11}, {'a': 'p', 'b': 'q', 'c': 'r'}]),
}


def main():
    out = {}
    for name, text in CASES.items():
        v = json.loads(text)
        r = {'input': text,
             'json': oracle.guard(lambda: oracle.out_json(v)),
             'text': oracle.guard(lambda: oracle.out_text(v)),
             'yaml': oracle.guard(lambda: oracle.out_yaml(v)),
             'yaml-stream': oracle.guard(lambda: oracle.out_yaml_stream(v))}
        for tname, (w, c, a) in TABLES.items():
            r[tname] = oracle.guard(lambda: oracle.out_table(v, TITLE, w, c, a))
        out[name] = r
    import awscli
    doc = {'generator': 'awscli %s, yaml %s' % (awscli.__version__, oracle.YAML_KIND), 'title': TITLE,
           'tables': {k: list(v) for k, v in TABLES.items()}, 'cases': out}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'golden.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(doc, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
