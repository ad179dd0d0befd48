package server

import (
	"net/http"
	"path/filepath"

	"rolegate/internal/proxy"
)

// ProxyHandler returns the HTTPS proxy that serves clients which cannot be given an endpoint:
// CONNECT tunnels to *.amazonaws.com answered by this server, with certificates from the CA in
// the data directory. It also returns the path of the CA certificate clients must trust.
func (s *Server) ProxyHandler() (http.Handler, string, error) {
	ca, err := proxy.LoadOrCreateCA(s.cfg.DataDir, s.cfg.Rand, s.cfg.Now())
	if err != nil {
		return nil, "", err
	}
	return &proxy.Proxy{CA: ca, Handler: s.handler, Now: s.cfg.Now}, filepath.Join(s.cfg.DataDir, "ca.pem"), nil
}
