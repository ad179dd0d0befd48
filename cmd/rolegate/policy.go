package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"rolegate/internal/decide"
	"rolegate/internal/policy"
)

const policyUsage = `usage: rolegate policy decide < requests.jsonl
       rolegate policy validate FILE --type identity|resource|trust|boundary|session|scp|rcp [--managed]

decide     reads one JSON request per line on standard input and writes one decision per line
validate   checks a policy document as AWS does when it is written and prints AWS's error
`

// runPolicy implements "rolegate policy ...".
func runPolicy(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, policyUsage)
		return 2
	}
	switch args[0] {
	case "decide":
		if len(args) > 1 {
			fmt.Fprint(stderr, policyUsage)
			return 2
		}
		failed, err := decide.Run(stdin, stdout)
		if err != nil {
			fmt.Fprintf(stderr, "rolegate policy decide: %v\n", err)
			return 1
		}
		if failed {
			return 1
		}
		return 0
	case "validate":
		return runValidate(args[1:], stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, policyUsage)
		return 0
	}
	fmt.Fprintf(stderr, "rolegate policy: unknown command %q\n", args[0])
	fmt.Fprint(stderr, policyUsage)
	return 2
}

// runValidate implements "rolegate policy validate FILE --type TYPE [--managed]". FILE "-"
// is standard input. A valid document prints "valid"; an invalid one prints AWS's error
// code and message and exits 1.
func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var file, typ string
	managed := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--type" || a == "-type":
			if i+1 == len(args) {
				fmt.Fprint(stderr, policyUsage)
				return 2
			}
			i++
			typ = args[i]
		case strings.HasPrefix(a, "--type="):
			typ = strings.TrimPrefix(a, "--type=")
		case a == "--managed" || a == "-managed":
			managed = true
		case file == "" && (a == "-" || !strings.HasPrefix(a, "-")):
			file = a
		default:
			fmt.Fprintf(stderr, "rolegate policy validate: unexpected argument %q\n", a)
			fmt.Fprint(stderr, policyUsage)
			return 2
		}
	}
	kind, ok := policy.ParseKind(typ)
	if file == "" || !ok {
		fmt.Fprint(stderr, policyUsage)
		return 2
	}
	text, err := readDocument(file, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "rolegate policy validate: %v\n", err)
		return 1
	}
	if _, err := policy.Validate(text, policy.Rules{Kind: kind, Managed: managed}); err != nil {
		var pe *policy.Error
		if errors.As(err, &pe) {
			fmt.Fprintf(stdout, "%s: %s\n", pe.Code, pe.Message)
			return 1
		}
		fmt.Fprintf(stderr, "rolegate policy validate: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, "valid")
	return 0
}

func readDocument(file string, stdin io.Reader) ([]byte, error) {
	if file == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(file)
}
