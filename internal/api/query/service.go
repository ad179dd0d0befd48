package query

import (
	"net/http"
	"sync"

	"rolegate/internal/api/awserr"
	"rolegate/internal/gate"
)

// Op is one row of a Query service's operation table: the only way a handler is reached.
type Op struct {
	// Name is the Action parameter, e.g. "CreateUser".
	Name string
	// Prepare checks the parameters, names what the caller must be allowed to do, and returns the
	// work to run once the gate allowed it. It may read the store (to find an entity's path or
	// tags) but must not change anything: all changes happen in the returned function.
	Prepare func(c *gate.Call, p Params) (gate.Check, Work, error)
	// Public marks the few operations that need no permission (sts:GetCallerIdentity); the gate
	// is not asked about them.
	Public bool
	// Unsigned marks operations AWS serves without a signature (AssumeRoleWithWebIdentity,
	// AssumeRoleWithSAML).
	Unsigned bool
	// ReadOnly marks operations that change nothing (the audit event's readOnly).
	ReadOnly bool
}

// Work performs an authorized operation and returns the value encoded as <NameResult>, or nil for
// operations without output.
type Work func() (any, error)

// Service is a Query service: its namespace, API version and operation table.
type Service struct {
	Name      string // iam, sts, ec2
	Namespace string
	Version   string
	// Dialect is how responses and errors are written (AWSQuery unless built by NewEC2Service).
	Dialect Dialect
	ops     map[string]*Op
	// buffers recycles the response buffers of results that write their own XML.
	buffers sync.Pool
}

// NewService builds a service from its operation table. A row without Prepare or named twice is a
// programming error and panics at start.
func NewService(name, namespace, version string, ops []Op) *Service {
	s := &Service{Name: name, Namespace: namespace, Version: version, ops: make(map[string]*Op, len(ops))}
	for i := range ops {
		op := &ops[i]
		switch {
		case op.Name == "" || op.Prepare == nil:
			panic("query: operation without name or Prepare in " + name)
		case s.ops[op.Name] != nil:
			panic("query: operation " + op.Name + " listed twice")
		}
		s.ops[op.Name] = op
	}
	return s
}

// Op returns the operation named action.
func (s *Service) Op(action string) (*Op, bool) {
	op, ok := s.ops[action]
	return op, ok
}

// Ops returns every operation of the table.
func (s *Service) Ops() []*Op {
	out := make([]*Op, 0, len(s.ops))
	for _, op := range s.ops {
		out = append(out, op)
	}
	return out
}

// Run prepares op, asks the gate (unless op is Public), performs it and writes the response. It
// returns the result (for the audit record) and the error sent to the client, if any.
func (s *Service) Run(w http.ResponseWriter, c *gate.Call, op *Op, p Params) (any, *awserr.Error) {
	res, err := s.run(c, op, p)
	if err == nil {
		err = s.writeResult(w, op.Name, c.RequestID, res)
	}
	if err != nil {
		e := awserr.From(err, awserr.InternalFailure)
		if s.Dialect == EC2 {
			e = EC2Error(e)
		}
		s.WriteError(w, c.RequestID, e)
		return nil, e
	}
	return res, nil
}

func (s *Service) run(c *gate.Call, op *Op, p Params) (any, error) {
	chk, work, err := op.Prepare(c, p)
	if err != nil {
		return nil, err
	}
	if !op.Public {
		if err := c.Authorize(chk); err != nil {
			return nil, err
		}
	}
	return work()
}
