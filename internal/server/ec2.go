package server

import (
	"context"
	"time"

	"rolegate/internal/api/ec2api"
	"rolegate/internal/api/query"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
	"rolegate/internal/imds"
	"rolegate/internal/sts"
)

// ec2Runtime is the EC2 service and the metadata endpoints of its running instances.
type ec2Runtime struct {
	svc *ec2.Service
	md  *imds.Manager
}

// ec2Service builds the EC2 service and its metadata endpoints, reopens the endpoints of the
// instances stored as running, and returns the EC2 Query service.
func (s *Server) ec2Service(g *gate.Gate, stsSvc *sts.Service) *query.Service {
	md := imds.New(imds.Config{Profiles: s.iam, Gate: g, STS: stsSvc, Now: s.cfg.Now, Rand: s.cfg.Rand, Log: s.cfg.Log,
		Audit: s.auditor, IDs: s.ids})
	svc := ec2.New(ec2.Config{Store: s.db, IDs: s.ids, Now: s.cfg.Now, Profiles: s.iam, Metadata: md, Log: s.cfg.Log})
	s.ec2 = &ec2Runtime{svc: svc, md: md}
	if err := svc.Resume(context.Background()); err != nil {
		s.cfg.Log.Error("cannot reopen instance metadata endpoints", "err", err)
	}
	return (&ec2api.API{EC2: svc}).Service()
}

// stopEC2 closes every instance metadata endpoint.
func (s *Server) stopEC2() error {
	if s.ec2 == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.ec2.md.Shutdown(ctx)
}

// MetadataEndpoint returns the base URL of a running instance's metadata service
// ("http://127.0.0.1:PORT").
func (s *Server) MetadataEndpoint(instanceID string) (string, bool) {
	if s.ec2 == nil {
		return "", false
	}
	return s.ec2.md.Endpoint(instanceID)
}
