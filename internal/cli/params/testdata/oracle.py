"""Oracle for the params package's differential tests.

Reads one JSON request per line on stdin and answers one JSON line each,
using the installed AWS CLI and botocore (v1: awscli + botocore; v2: the
awscli package with its vendored awscli.botocore) on the committed model.
Written for the tests of this repository; it only reads its own inputs.
"""
import base64
import json
import random
import sys
import types

try:  # AWS CLI v2 run from source wants a newer awscrt than Debian's.
    import awscrt.crypto

    if not hasattr(awscrt.crypto, 'EC'):
        awscrt.crypto.EC = type('EC', (), {})
except Exception:
    pass

try:
    import awscli.botocore as bc  # noqa: F401  (v2 vendors botocore)
    from awscli.botocore import model as bmodel, validate as bvalidate, utils as butils, parsers as bparsers
    VERSION = 2
except ImportError:
    from botocore import model as bmodel, validate as bvalidate, utils as butils, parsers as bparsers
    VERSION = 1

from awscli import argprocess, paramfile, shorthand  # noqa: E402
from awscli.utils import json_encoder  # noqa: E402
from collections import OrderedDict  # noqa: E402

random.choice = lambda seq: seq[0]  # v1 picks random enums; v2 the first

if sys.argv[1] == '--check':
    sys.exit(0)

SERVICE = bmodel.ServiceModel(json.load(open(sys.argv[1])))


def decode(v):
    t = v[0]
    if t == 's':
        return v[1]
    if t == 'i':
        return int(v[1])
    if t == 'f':
        return float(v[1])
    if t == 'b':
        return v[1]
    if t == 'n':
        return None
    if t == 'y':
        return base64.b64decode(v[1])
    if t == 'l':
        return [decode(e) for e in v[1]]
    if t == 'd':
        return {k: decode(e) for k, e in v[1]}
    if t == 'o':
        return OrderedDict((k, decode(e)) for k, e in v[1])
    raise ValueError(t)


def err(e):
    return {'error': str(e), 'class': type(e).__name__}


def op_validate(req):
    shape = SERVICE.operation_model(req['op']).input_shape
    report = bvalidate.ParamValidator().validate(decode(req['params']), shape)
    return {'report': report.generate_report() if report.has_errors() else ''}


def op_unpack(req):
    op = SERVICE.operation_model(req['op'])
    member = req['member']
    shape = op.input_shape.members[member]
    arg = types.SimpleNamespace(
        argument_model=shape, cli_name=req['cli_name'], name=req['cli_name'][2:],
        py_name=req['cli_name'][2:].replace('-', '_'))
    value = req['tokens'] if shape.type_name == 'list' else req['tokens'][0]
    try:
        # load-cli-arg
        check = value[0] if isinstance(value, list) and len(value) == 1 else value
        try:
            loaded = paramfile.get_paramfile(check, paramfile.LOCAL_PREFIX_MAP)
        except paramfile.ResourceLoadingError as e:
            raise argprocess.ParamError(arg.cli_name, str(e))
        if loaded is not None:
            value = loaded
        # process-cli-arg
        out = argprocess.ParamShorthandParser()(
            arg, value, 'process-cli-arg.cognito-idp.' + req['op'])
        if out is None:
            out = argprocess.unpack_cli_arg(arg, value)
        return {'repr': repr(out)}
    except Exception as e:  # noqa: BLE001
        return err(e)


def op_skeleton(req):
    op = SERVICE.operation_model(req['op'])
    sk = {}
    if op.input_shape is not None:
        sk = butils.ArgumentGenerator().generate_skeleton(op.input_shape)
    return {'json': json.dumps(sk, indent=4, default=json_encoder) + '\n'}


def op_output_stub(req):
    op = SERVICE.operation_model(req['op'])
    stub = {}
    if op.output_shape is not None:
        stub = butils.ArgumentGenerator(use_member_names=True).generate_skeleton(op.output_shape)
        report = bvalidate.ParamValidator().validate(stub, op.output_shape)
        if report.has_errors():
            return {'report': report.generate_report()}
    if op.input_shape is not None:
        report = bvalidate.ParamValidator().validate(decode(req['params']), op.input_shape)
        if report.has_errors():
            return {'report': report.generate_report()}
    return {'json': json.dumps(stub, indent=4, default=json_encoder, ensure_ascii=False)}


def op_parse(req):
    op = SERVICE.operation_model(req['op'])
    if req['wire']:
        tsp = lambda x: x  # noqa: E731
    else:
        tsp = lambda x: butils.parse_timestamp(x).isoformat()  # noqa: E731
    parser = bparsers.JSONParser(timestamp_parser=tsp, blob_parser=lambda x: x)
    try:
        out = parser.parse({'body': req['body'].encode('utf-8'), 'headers': {}, 'status_code': 200},
                           op.output_shape)
    except Exception as e:  # noqa: BLE001
        return err(e)
    out.pop('ResponseMetadata', None)
    return {'json': json.dumps(out)}


def op_b64(req):
    try:
        return {'repr': repr(base64.b64decode(req['s']))}
    except Exception as e:  # noqa: BLE001
        return err(e)


def op_json(req):
    try:
        return {'repr': repr(json.loads(req['s'], object_pairs_hook=OrderedDict))}
    except Exception as e:  # noqa: BLE001
        return err(e)


def op_int(req):
    try:
        return {'repr': repr(int(decode(req['v'])))}
    except Exception as e:  # noqa: BLE001
        return err(e)


def op_repr(req):
    v = decode(req['v'])
    return {'repr': repr(v), 'str': str(v), 'type': str(type(v))}


def op_yaml_skeleton(req):
    import io
    import awscli.customizations.generatecliskeleton as g
    from ruamel.yaml import YAML
    docs = req['docs']
    g.get_shape_doc_overview = lambda shape: docs[shape.name]
    op = SERVICE.operation_model(req['op'])
    yaml = YAML()
    yaml.representer.add_representer(g._Bytes, g._Bytes.represent)
    skeleton = yaml.map()
    if op.input_shape is not None:
        skeleton = g.YAMLArgumentGenerator().generate_skeleton(op.input_shape)
    buf = io.StringIO()
    yaml.dump(skeleton, buf)
    return {'yaml': buf.getvalue()}


def op_yaml_load(req):
    try:
        from ruamel.yaml import YAML
    except ImportError:
        return {'skip': True}
    try:
        return {'repr': repr(YAML(typ='safe', pure=True).load(req['s']))}
    except Exception as e:  # noqa: BLE001
        return err(e)


def op_hello(req):
    import awscli
    return {'version': VERSION, 'python': list(sys.version_info[:2]), 'awscli': awscli.__version__}


OPS = {k[3:]: v for k, v in globals().items() if k.startswith('op_')}

for line in sys.stdin:
    req = json.loads(line)
    try:
        resp = OPS[req['do']](req)
    except Exception as e:  # noqa: BLE001
        resp = {'fatal': '%s: %s' % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(resp) + '\n')
    sys.stdout.flush()
