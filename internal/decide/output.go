package decide

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"rolegate/internal/authz"
)

// Output is one output line: a decision, or an error for a line that could not be read.
type Output struct {
	ID       json.RawMessage
	Decision string
	Reason   string
	Matched  []Matched
	Err      string // set for an error line; the other fields are then empty
}

// Matched is one entry of an output line's "matched" list.
type Matched struct {
	Policy    string `json:"policy"`
	Statement string `json:"statement"`
	Effect    string `json:"effect"`
}

// Line decides one input line.
func Line(line []byte) Output {
	var in Input
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&in); err != nil {
		return Output{ID: peekID(line), Err: "invalid input line: " + err.Error()}
	}
	out := Output{ID: in.ID}
	pol, err := in.Policies.policies()
	if err != nil {
		out.Err = err.Error()
		return out
	}
	req, err := in.Request.request()
	if err != nil {
		out.Err = err.Error()
		return out
	}
	d := authz.Decide(req, pol)
	out.Decision = d.Effect.String()
	out.Reason = d.Message()
	out.Matched = []Matched{}
	for _, m := range d.Matched() {
		out.Matched = append(out.Matched, Matched{Policy: m.PolicyName(), Statement: m.Statement(), Effect: string(m.Effect())})
	}
	return out
}

// peekID recovers the id of a line that does not decode as a whole.
func peekID(line []byte) json.RawMessage {
	var v struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(line, &v) != nil {
		return nil
	}
	return v.ID
}

// MarshalJSON writes the line with its fields in the specified order:
// {"id":…,"decision":…,"reason":…,"matched":[…]} or {"id":…,"error":…}.
func (o Output) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	put := func(v any) {
		_ = enc.Encode(v)       // strings and string structs always encode
		b.Truncate(b.Len() - 1) // Encode adds a newline
	}
	id := o.ID
	if len(bytes.TrimSpace(id)) == 0 {
		id = json.RawMessage("null")
	}
	b.WriteString(`{"id":`)
	b.Write(bytes.TrimSpace(id))
	if o.Err != "" {
		b.WriteString(`,"error":`)
		put(o.Err)
		b.WriteByte('}')
		return b.Bytes(), nil
	}
	b.WriteString(`,"decision":`)
	put(o.Decision)
	b.WriteString(`,"reason":`)
	put(o.Reason)
	b.WriteString(`,"matched":`)
	if o.Matched == nil {
		b.WriteString("[]")
	} else {
		put(o.Matched)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// maxLine bounds one input line (policies are at most a few tens of kilobytes each).
const maxLine = 16 << 20

// Run decides every line of r and writes one output line per input line to w. Blank lines
// are skipped. It reports whether any line was an error line; err is an I/O error.
func Run(r io.Reader, w io.Writer) (failed bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	bw := bufio.NewWriter(w)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		out := Line(line)
		if out.Err != "" {
			failed = true
		}
		text, _ := out.MarshalJSON()
		bw.Write(text)
		bw.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		bw.Flush()
		return true, err
	}
	return failed, bw.Flush()
}
