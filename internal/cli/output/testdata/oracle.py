"""Reference outputs for the differential test (python_test.go).

Usage: oracle.py CHECK | oracle.py CORPUS.json RESULTS.json

CORPUS.json is {"title": str, "tables": [[width, color, autoreset], ...],
"cases": [value, ...]}. RESULTS.json gets one object per case with the
outputs of AWS CLI's formatters: json, text, table (one per entry of
"tables"), yaml and yaml-stream; a formatter that raises gives
{"error": "<ExceptionType>: <message>"} (text, which writes as it goes,
adds "written": what it wrote before).

json/text/table use the installed awscli package (v2, or v1 whose
formatter.py, table.py and text.py match v2's for these formats). yaml uses
v2's YAMLDumper when the package is v2 and ruamel.yaml has its C emitter
(as in the CLI v2 installers); else ruamel.yaml's C emitter set up the same
way; else PyYAML's libyaml emitter set up like ruamel's YAML(typ='safe'):
YAML 1.2 implicit resolvers, ruamel's float and null representation,
sorted keys.

"CHECK" prints the awscli version and the YAML emitter used.
"""
import argparse
import io
import json
import re
import sys

import colorama
from colorama.ansitowin32 import AnsiToWin32

import awscli.table as awstable
from awscli import text as awstext
from awscli.formatter import TableFormatter

# ColorizedStyler calls colorama.init, which wraps sys.stdout; the oracle
# wraps its own buffers instead.
colorama.init = lambda *a, **kw: None


def yaml_emitter():
    try:
        from awscli.formatter import YAMLDumper
        from ruamel.yaml.main import CEmitter
        if CEmitter is None:
            raise ImportError('no C emitter')

        def emit(value):
            s = io.StringIO()
            YAMLDumper()._yaml.dump(value, s)
            return s.getvalue()
        return 'awscli-v2-ruamel', emit
    except ImportError:
        pass
    try:
        from ruamel.yaml import YAML
        from ruamel.yaml.main import CEmitter
        if CEmitter is None:
            raise ImportError('no C emitter')

        def emit(value):
            y = YAML(typ='safe')
            y.encoding = None
            y.representer.default_flow_style = False
            s = io.StringIO()
            y.dump(value, s)
            return s.getvalue()
        return 'ruamel', emit
    except ImportError:
        pass
    import yaml
    from yaml import _yaml  # noqa: F401  (libyaml)

    first_12 = [
        ('tag:yaml.org,2002:bool', r'''^(?:true|True|TRUE|false|False|FALSE)$''', list('tTfF')),
        ('tag:yaml.org,2002:float', r'''^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$''', list('-+0123456789.')),
        ('tag:yaml.org,2002:int', r'''^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$''', list('-+0123456789')),
        ('tag:yaml.org,2002:merge', r'^(?:<<)$', ['<']),
        ('tag:yaml.org,2002:null', r'''^(?: ~
        |null|Null|NULL
        | )$''', ['~', 'n', 'N', '']),
        ('tag:yaml.org,2002:timestamp', r'''^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$''', list('0123456789')),
        ('tag:yaml.org,2002:value', r'^(?:=)$', ['=']),
        ('tag:yaml.org,2002:yaml', r'^(?:!|&|\*)$', list('!&*')),
    ]

    class Resolver(yaml.resolver.BaseResolver):
        yaml_implicit_resolvers = {}

    for tag, rx, first in first_12:
        Resolver.add_implicit_resolver(tag, re.compile(rx, re.X), first)

    class Representer(yaml.representer.SafeRepresenter):
        def represent_none(self, data):
            return self.represent_scalar('tag:yaml.org,2002:null', 'null')

        def represent_float(self, data):
            if data != data:
                value = '.nan'
            elif data == float('inf'):
                value = '.inf'
            elif data == float('-inf'):
                value = '-.inf'
            else:
                value = repr(data).lower()
            return self.represent_scalar('tag:yaml.org,2002:float', value)

    Representer.add_representer(type(None), Representer.represent_none)
    Representer.add_representer(float, Representer.represent_float)

    class Dumper(yaml._yaml.CEmitter, Representer, Resolver):
        def __init__(self, stream, default_style=None, default_flow_style=False,
                     canonical=None, indent=None, width=None, allow_unicode=None,
                     line_break=None, encoding=None, explicit_start=None,
                     explicit_end=None, version=None, tags=None, sort_keys=True):
            yaml._yaml.CEmitter.__init__(
                self, stream, canonical=canonical, indent=indent, width=width,
                encoding=encoding, allow_unicode=allow_unicode, line_break=line_break,
                explicit_start=explicit_start, explicit_end=explicit_end,
                version=version, tags=tags)
            Representer.__init__(self, default_style=default_style,
                                 default_flow_style=default_flow_style, sort_keys=sort_keys)
            Resolver.__init__(self)

    def emit(value):
        return yaml.dump(value, Dumper=Dumper, default_flow_style=False, allow_unicode=True)
    return 'pyyaml-libyaml', emit


YAML_KIND, yaml_emit = yaml_emitter()


def guard(fn):
    try:
        return fn()
    except Partial as e:
        return {'error': str(e), 'written': e.written}
    except Exception as e:  # the CLI would report these
        return {'error': '%s: %s' % (type(e).__name__, e)}


def out_json(v):
    if v == {}:
        return ''
    return json.dumps(v, indent=4, ensure_ascii=False) + '\n'


class Partial(Exception):
    """A formatter's exception, with what it had written before it."""

    def __init__(self, e, written):
        super().__init__('%s: %s' % (type(e).__name__, e))
        self.written = written


def out_text(v):
    s = io.StringIO()
    try:
        awstext.format_text(v, s)
    except Exception as e:
        raise Partial(e, s.getvalue())
    return s.getvalue()


def out_table(v, title, width, color, autoreset):
    awstable.determine_terminal_width = lambda default_width=80: width
    f = TableFormatter(argparse.Namespace(color='on' if color else 'off', query=None))
    buf = io.StringIO()
    stream = buf
    if color and autoreset:
        stream = AnsiToWin32(buf, convert=False, strip=False, autoreset=True).stream
    f._format_response(title, v, stream)
    return buf.getvalue()


def out_yaml(v):
    if v == {}:
        return ''
    if YAML_KIND == 'awscli-v2-ruamel':
        from awscli.formatter import YAMLDumper
        s = io.StringIO()
        YAMLDumper().dump(v, s)
        return s.getvalue()
    if v is None or isinstance(v, (int, float, bool, str)):
        return json.dumps(v, ensure_ascii=False) + '\n'
    return yaml_emit(v)


def out_yaml_stream(v):
    if v == {}:
        return ''
    return yaml_emit([v])


def main():
    if sys.argv[1] == 'CHECK':
        import awscli
        print('awscli', awscli.__version__, 'yaml', YAML_KIND)
        return
    with open(sys.argv[1], encoding='utf-8') as f:
        corpus = json.load(f)
    title = corpus['title']
    results = []
    for v in corpus['cases']:
        r = {
            'json': guard(lambda: out_json(v)),
            'text': guard(lambda: out_text(v)),
            'yaml': guard(lambda: out_yaml(v)),
            'yaml-stream': guard(lambda: out_yaml_stream(v)),
            'table': [guard(lambda: out_table(v, title, w, c, a)) for w, c, a in corpus['tables']],
        }
        results.append(r)
    with open(sys.argv[2], 'w', encoding='utf-8') as f:
        json.dump({'yaml': YAML_KIND, 'results': results}, f, ensure_ascii=False)


if __name__ == '__main__':
    main()
