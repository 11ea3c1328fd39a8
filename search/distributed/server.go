package distributed

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// EmbeddedOptions configure an embedded JetStream server.
type EmbeddedOptions struct {
	// StoreDir holds the server's file storage (inside the run directory, so that a
	// resumed run finds its queue and results).
	StoreDir string
	// Listen is HOST:PORT; an empty host is 127.0.0.1 and port 0 picks a free one.
	Listen string
	// Token is required of clients; if empty, one is generated unless Insecure.
	Token string
	// Insecure runs without a token, and then only on a loopback address.
	Insecure bool
	// Name is the server's name; if empty, "zeronas".
	Name string
}

// Embedded is a JetStream server running in this process.
type Embedded struct {
	srv   *server.Server
	token string
}

// StartEmbedded starts a JetStream server and waits until it accepts clients.
func StartEmbedded(o EmbeddedOptions) (*Embedded, error) {
	host, port, err := splitListen(o.Listen)
	if err != nil {
		return nil, err
	}
	if o.Insecure && o.Token == "" {
		ip := net.ParseIP(host)
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("listen %s: without a token the embedded server binds to a loopback address only", o.Listen)
		}
	}
	token := o.Token
	if token == "" && !o.Insecure {
		if token, err = NewToken(); err != nil {
			return nil, err
		}
	}
	name := o.Name
	if name == "" {
		name = "zeronas"
	}
	opts := &server.Options{ServerName: name, Host: host, Port: port, JetStream: true, StoreDir: o.StoreDir,
		Authorization: token, NoSigs: true, NoLog: true, MaxPayload: 1 << 20}
	if port == 0 {
		opts.Port = server.RANDOM_PORT
	} else if l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port))); err != nil {
		return nil, fmt.Errorf("embedded NATS server: %w", err) // in use: say so, not "not ready"
	} else {
		l.Close()
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded NATS server: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("embedded NATS server: not ready after 10 s")
	}
	return &Embedded{srv: srv, token: token}, nil
}

// URL returns the address clients connect to, with the token if there is one.
func (e *Embedded) URL() string {
	u, _ := url.Parse(e.srv.ClientURL())
	if e.token != "" {
		u.User = url.User(e.token)
	}
	return u.String()
}

// Shutdown stops the server.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}

// NewToken returns a random token of 128 bits.
func NewToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func splitListen(listen string) (string, int, error) {
	if listen == "" {
		return "127.0.0.1", 0, nil
	}
	host, p, err := net.SplitHostPort(listen)
	if err != nil {
		return "", 0, fmt.Errorf("listen %q: %w", listen, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("listen %q: bad port", listen)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return host, port, nil
}

// Credentials are how a client proves itself to a NATS server; any may be empty.
type Credentials struct {
	User, Password string
	Token          string
	NKeySeedFile   string // a file holding an nkey seed
	CAFile         string // a PEM file of CAs to verify the server's TLS certificate
}

// Connect connects to the servers of url (a comma-separated list) with creds, and
// reconnects for ever: a server restart or a node lost from a cluster is waited out.
func Connect(url, name string, creds Credentials) (*nats.Conn, error) {
	opts := []nats.Option{nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(250 * time.Millisecond),
		nats.RetryOnFailedConnect(false)}
	if creds.User != "" {
		opts = append(opts, nats.UserInfo(creds.User, creds.Password))
	}
	if creds.Token != "" {
		opts = append(opts, nats.Token(creds.Token))
	}
	if creds.NKeySeedFile != "" {
		o, err := nats.NkeyOptionFromSeed(creds.NKeySeedFile)
		if err != nil {
			return nil, fmt.Errorf("nkey seed %s: %w", creds.NKeySeedFile, err)
		}
		opts = append(opts, o)
	}
	if creds.CAFile != "" {
		opts = append(opts, nats.RootCAs(creds.CAFile))
	}
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to NATS at %s: %w", redact(url), err)
	}
	return nc, nil
}

// redact hides the password or token of url in messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User("REDACTED")
	return u.String()
}
