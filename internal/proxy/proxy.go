// Package proxy lets clients that cannot be pointed at a custom endpoint reach rolegate anyway: it
// is an HTTPS proxy (HTTP CONNECT) that accepts tunnels only to AWS host names
// (*.amazonaws.com), terminates TLS with certificates issued on the fly by a certificate authority
// kept in the data directory, and serves the requests inside the tunnel with rolegate's own
// handler. A client sets HTTPS_PROXY to the proxy and trusts the CA (AWS_CA_BUNDLE); its requests,
// signed for the real AWS host names, are verified and answered as if sent to the endpoint.
package proxy

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Proxy is the CONNECT handler.
type Proxy struct {
	CA      *CA
	Handler http.Handler
	// Now is the clock used for certificate validity.
	Now func() time.Time

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

// awsHost reports whether a CONNECT target may be tunnelled: an AWS service host on port 443.
func awsHost(hostport string) (string, bool) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil || port != "443" {
		return "", false
	}
	host = strings.ToLower(host)
	if strings.HasSuffix(host, ".amazonaws.com") || strings.HasSuffix(host, ".amazonaws.com.cn") {
		return host, true
	}
	return "", false
}

// ServeHTTP accepts CONNECT to AWS hosts and serves the tunnel; anything else is refused.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "rolegate proxy: only CONNECT to *.amazonaws.com:443 is served", http.StatusMethodNotAllowed)
		return
	}
	host, ok := awsHost(r.Host)
	if !ok {
		http.Error(w, "rolegate proxy: only AWS hosts on port 443 are served", http.StatusForbidden)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "rolegate proxy: connection cannot be taken over", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		conn.Close()
		return
	}
	raw := net.Conn(conn)
	if buf.Reader.Buffered() > 0 {
		raw = &prefixed{Conn: conn, r: buf.Reader}
	}
	tlsConn := tls.Server(raw, &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			name := hello.ServerName
			if name == "" {
				name = host
			}
			if _, ok := awsHost(net.JoinHostPort(name, "443")); !ok {
				return nil, errors.New("rolegate proxy: not an AWS host")
			}
			return p.leaf(name)
		},
		NextProtos: []string{"http/1.1"},
	})
	srv := &http.Server{Handler: p.Handler, ReadHeaderTimeout: 30 * time.Second,
		BaseContext: func(net.Listener) context.Context { return r.Context() }}
	srv.Serve(&oneConn{conn: tlsConn, done: make(chan struct{})})
}

// leaf returns a certificate for host, issuing and caching it on first use.
func (p *Proxy) leaf(host string) (*tls.Certificate, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.leaves[host]; ok && p.Now().Before(c.Leaf.NotAfter.Add(-time.Hour)) {
		return c, nil
	}
	c, err := p.CA.Issue(host, p.Now())
	if err != nil {
		return nil, err
	}
	if p.leaves == nil {
		p.leaves = map[string]*tls.Certificate{}
	}
	p.leaves[host] = c
	return c, nil
}

// prefixed is a connection whose first bytes were already buffered by the HTTP server.
type prefixed struct {
	net.Conn
	r interface{ Read([]byte) (int, error) }
}

func (p *prefixed) Read(b []byte) (int, error) { return p.r.Read(b) }

// oneConn is a listener that yields one connection and then blocks until that connection is
// closed, so http.Server serves exactly the tunnel.
type oneConn struct {
	conn net.Conn
	once sync.Once
	done chan struct{}
	used bool
}

func (l *oneConn) Accept() (net.Conn, error) {
	if !l.used {
		l.used = true
		return &closeNotify{Conn: l.conn, l: l}, nil
	}
	<-l.done
	return nil, net.ErrClosed
}

func (l *oneConn) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *oneConn) Addr() net.Addr { return l.conn.LocalAddr() }

type closeNotify struct {
	net.Conn
	l *oneConn
}

func (c *closeNotify) Close() error {
	err := c.Conn.Close()
	c.l.Close()
	return err
}
