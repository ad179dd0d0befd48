package server

import (
	"context"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"time"
)

// PprofEnv names the environment variable that turns on Go's runtime profiles: set to an address
// (127.0.0.1:0 picks a free port), the server also serves /debug/pprof/ there and writes its URL
// to DataDir/pprof. Off by default, since profiles expose internals.
const PprofEnv = "ROLEGATE_PPROF"

// startPprof serves the profiles when PprofEnv is set and returns the function that stops them.
func (s *Server) startPprof() func() {
	addr := os.Getenv(PprofEnv)
	if addr == "" {
		return func() {}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.cfg.Log.Error("profiles not served", "addr", addr, "err", err)
		return func() {}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	url := "http://" + ln.Addr().String()
	if err := os.WriteFile(filepath.Join(s.cfg.DataDir, "pprof"), []byte(url+"\n"), 0o600); err != nil {
		s.cfg.Log.Error("writing the profile endpoint", "err", err)
	}
	s.cfg.Log.Info("serving profiles", "url", url+"/debug/pprof/")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}
}
