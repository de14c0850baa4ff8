package e2e

// Running the AWS CLI 2.9.19 several hundred times: its start costs ~0.7 s
// of CPU, nearly all of it importing Python modules (awscli.clidriver
// alone is ~0.5 s). A small fork server imports awscli.clidriver once,
// then runs each command line in a forked child, exactly as /usr/bin/aws
// does after its imports: a fresh process with the case's environment
// (os.environ replaced, time.tzset()), working directory, argv and standard
// streams, calling awscli.clidriver.main() and exiting with its code as
// sys.exit and the interpreter's exit would (exit handlers, streams
// flushed), but without tearing down every module, which costs 0.3 s and
// prints nothing. The test checks the server against direct runs of the
// AWS CLI on a sample of cases (awsServerCheck).

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// awsServerScript is the fork server. It reads one JSON request per line
// on stdin and answers {"code": N} on stdout.
const awsServerScript = `
import atexit, json, os, sys, time
aws = sys.argv[1]
given_data_path = sys.argv[2]
# What /usr/bin/aws does before its import.
if os.environ.get('LC_CTYPE', '') == 'UTF-8':
    os.environ['LC_CTYPE'] = 'en_US.UTF-8'
sys.argv = [aws]
import awscli.clidriver
# Modules the CLI imports lazily on every run.
import importlib
for name in ('awscli.handlers', 'awscli.formatter', 'awscli.table', 'awscli.text',
             'awscli.paramfile', 'awscli.shorthand', 'awscli.argprocess',
             'awscli.customizations.generatecliskeleton', 'awscli.customizations.cliinput',
             'awscli.customizations.paginate', 'ruamel.yaml', 'jmespath'):
    try:
        importlib.import_module(name)
    except Exception:
        pass
# awscli/__init__.py rewrote AWS_DATA_PATH when it was imported.
data_path = os.environ.get('AWS_DATA_PATH')

def child(req):
    env = dict(kv.split('=', 1) for kv in req['env'])
    if env.get('AWS_DATA_PATH') != given_data_path:
        os.write(2, b'AWS_DATA_PATH differs from the server\'s\n')
        os._exit(99)
    env['AWS_DATA_PATH'] = data_path
    if env.get('LC_CTYPE', '') == 'UTF-8':
        env['LC_CTYPE'] = 'en_US.UTF-8'
    os.environ.clear()
    os.environ.update(env)
    time.tzset()
    os.chdir(req['cwd'])
    for fd, path, flags in ((0, req['stdin'] or os.devnull, os.O_RDONLY),
                            (1, req['stdout'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, req['stderr'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        f = os.open(path, flags, 0o600)
        os.dup2(f, fd)
        os.close(f)
    sys.argv = [aws] + req['argv']
    # sys.exit(main()) and the interpreter's exit, less the teardown of
    # every module (0.3 s, it prints nothing): exit handlers, flushed
    # streams, the exit code sys.exit would give.
    try:
        code = awscli.clidriver.main()
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(str(code) + '\n')
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            code = 120
    os._exit(code)

def serve():
    buf = b''
    while True:
        while b'\n' not in buf:
            chunk = os.read(0, 1 << 16)
            if not chunk:
                return
            buf += chunk
        line, buf = buf.split(b'\n', 1)
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            child(req)
            os._exit(98)
        _, status = os.waitpid(pid, 0)
        os.write(1, (json.dumps({'code': os.waitstatus_to_exitcode(status)}) + '\n').encode())

serve()
`

// awsServer is one fork server.
type awsServer struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr lockedBuffer // the server's own stderr
	tmp    string
	n      atomic.Int64
}

// lockedBuffer is a bytes.Buffer that exec's copying goroutine and the
// test may use at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startAWSServer starts a fork server for awsBin (a Python script) with a
// base environment like the cases' (the server's own HOME is empty).
func startAWSServer(t *testing.T, python, awsBin, dataPath string) (*awsServer, error) {
	s := &awsServer{tmp: t.TempDir()}
	s.cmd = exec.Command(python, "-c", awsServerScript, awsBin, dataPath)
	env := awsEnv(t)
	env = append(env, "AWS_DATA_PATH="+dataPath, "AWS_EC2_METADATA_DISABLED=true", "TZ=UTC")
	s.cmd.Env = env
	s.cmd.Dir = s.tmp
	s.cmd.Stderr = &s.stderr
	var err error
	if s.in, err = s.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s.out = bufio.NewReader(out)
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		s.in.Close()
		_ = s.cmd.Wait()
	})
	return s, nil
}

// run runs one command line in a forked child.
func (s *awsServer) run(args, env []string, dir, stdin string) (cliResult, error) {
	n := s.n.Add(1)
	base := filepath.Join(s.tmp, fmt.Sprintf("run%d", n))
	req := map[string]any{"argv": args, "env": env, "cwd": dir, "stdin": "",
		"stdout": base + ".out", "stderr": base + ".err"}
	if stdin != "" {
		req["stdin"] = base + ".in"
		if err := os.WriteFile(base+".in", []byte(stdin), 0o600); err != nil {
			return cliResult{}, err
		}
	}
	b, _ := json.Marshal(req)
	if _, err := s.in.Write(append(b, '\n')); err != nil {
		return cliResult{}, fmt.Errorf("aws server: %v\n%s", err, s.stderr.String())
	}
	line, err := s.out.ReadBytes('\n')
	if err != nil {
		return cliResult{}, fmt.Errorf("aws server: %v\n%s", err, s.stderr.String())
	}
	var resp struct{ Code int }
	if err := json.Unmarshal(line, &resp); err != nil {
		return cliResult{}, fmt.Errorf("aws server answer %q: %v", line, err)
	}
	if resp.Code == 98 || resp.Code == 99 {
		return cliResult{}, fmt.Errorf("aws server child failed (%d): %s", resp.Code, s.stderr.String())
	}
	stdout, err := os.ReadFile(base + ".out")
	if err != nil {
		return cliResult{}, err
	}
	stderr, err := os.ReadFile(base + ".err")
	if err != nil {
		return cliResult{}, err
	}
	return cliResult{args: args, stdout: string(stdout), stderr: string(stderr), code: resp.Code}, nil
}

// awsServerCheck names the cases that are also run directly with
// /usr/bin/aws: the fork server must give the same bytes and exit code.
// They cover the environment (TZ, HOME's config and credentials, missing
// keys and region), files relative to the working directory, stdin-free
// prompts, YAML, an error with a caret, and the help page (groff).
var awsServerCheck = map[string]bool{
	"format/timestamps-new-york":      true,
	"format/describe-user-pool/table": true,
	"global/profile":                  true,
	"global/profile-env":              true,
	"error/no-credentials":            true,
	"error/no-region":                 true,
	"file/relative":                   true,
	"skeleton/set-yaml-input":         true,
	"shorthand/non-bmp":               true,
	"help/operation":                  true,
}

// sameResult reports whether two runs printed the same.
func sameResult(a, b cliResult) bool {
	return a.code == b.code && a.stdout == b.stdout && a.stderr == b.stderr
}
