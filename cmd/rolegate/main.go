// Command rolegate is an AWS-compatible identity plane: IAM and STS for many accounts, a policy
// engine that enforces AWS's semantics on every request, a small S3 and EC2 surface, instance
// metadata credentials, and tools that explain every decision.
//
// Usage:
//
//	rolegate serve [--listen ADDR] [--data DIR]
//	rolegate account create NAME | account list
//	rolegate session revoke ACCESS_KEY_ID
//	rolegate audit tail [-n N] [-f]
//	rolegate policy decide | policy validate FILE --type TYPE
//	rolegate instance list | instance env INSTANCE_ID
//	rolegate exec --role ROLE_ARN [--profile P] -- COMMAND [ARGS]
//	rolegate credential-process --role ROLE_ARN [--profile P]
//	rolegate seed [--data DIR] [--policies N]
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command line to its verb and returns the process exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "account":
		return runAccount(args[1:], stdout, stderr)
	case "policy":
		return runPolicy(args[1:], stdin, stdout, stderr)
	case "audit":
		return runAudit(args[1:], stdout, stderr)
	case "session":
		return runSession(args[1:], stdout, stderr)
	case "instance":
		return runInstance(args[1:], stdout, stderr)
	case "exec":
		return runExec(args[1:], stdin, stdout, stderr)
	case "credential-process":
		return runCredentialProcess(args[1:], stdout, stderr)
	case "seed":
		return runSeed(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "rolegate: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: rolegate COMMAND [ARGS]

commands:
  serve            run the AWS-compatible endpoint
  account          create and list accounts
  session revoke   deny every further request of a temporary access key
  audit tail       show the audit log
  policy           decide requests offline, validate policy documents
  instance         list EC2 instances and their metadata endpoints
  exec             run a command with a role's credentials, served as a container endpoint
  credential-process  print a role's credentials for credential_process in ~/.aws/config
  seed             fill a data directory with many accounts, roles and policies (benchmarks)
`)
}
