package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"rolegate/internal/api/orgapi"
	"rolegate/internal/awsconfig"
	"rolegate/internal/client"
	"rolegate/internal/server"
	"rolegate/internal/sigv4"
)

// adminClient returns a client of the running server authenticated as the management account,
// from the profile files in the data directory.
func adminClient(endpoint, data string) (*client.Client, error) {
	if endpoint == "" {
		raw, err := os.ReadFile(filepath.Join(data, "endpoint"))
		if err != nil {
			return nil, fmt.Errorf("no --endpoint given and none recorded in %s", data)
		}
		endpoint = strings.TrimSpace(string(raw))
	}
	id, secret, err := awsconfig.InDir(data).Keys(server.ManagementProfile)
	if err != nil {
		return nil, fmt.Errorf("reading the management profile in %s: %w", data, err)
	}
	return &client.Client{Endpoint: endpoint, Credentials: sigv4.Credentials{AccessKeyID: id, SecretAccessKey: secret}}, nil
}

// runAccount implements "rolegate account create NAME" and "rolegate account list".
func runAccount(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "create" && args[0] != "list" {
		fmt.Fprintln(stderr, "usage: rolegate account create NAME [--endpoint URL] [--data DIR] | account list [--endpoint URL] [--data DIR]")
		return 2
	}
	verb := args[0]
	fs := flag.NewFlagSet("account "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", os.Getenv("ROLEGATE_ENDPOINT"), "endpoint of the running server (env ROLEGATE_ENDPOINT)")
	data := fs.String("data", envOr("ROLEGATE_DATA", server.DefaultDataDir), "data directory (env ROLEGATE_DATA)")
	var name string
	rest := args[1:]
	if verb == "create" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			fmt.Fprintln(stderr, "rolegate account create: NAME is required")
			return 2
		}
		name, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	c, err := adminClient(*endpoint, *data)
	if err != nil {
		fmt.Fprintln(stderr, "rolegate account:", err)
		return 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type acct struct{ Id, Name, Email, Arn, Status string }
	if verb == "list" {
		var res struct {
			Accounts []acct `xml:"Accounts>member"`
		}
		if err := c.Query(ctx, orgapi.Name, orgapi.Version, "ListAccounts", nil, &res); err != nil {
			fmt.Fprintln(stderr, "rolegate account list:", err)
			return 1
		}
		enc := json.NewEncoder(stdout)
		for _, a := range res.Accounts {
			enc.Encode(map[string]string{"AccountId": a.Id, "Name": a.Name, "Email": a.Email, "Arn": a.Arn, "Status": a.Status})
		}
		return 0
	}
	var res struct {
		Account         acct
		AccessKeyId     string
		SecretAccessKey string
	}
	if err := c.Query(ctx, orgapi.Name, orgapi.Version, "CreateAccount", url.Values{"AccountName": {name}}, &res); err != nil {
		fmt.Fprintln(stderr, "rolegate account create:", err)
		return 1
	}
	if err := awsconfig.InDir(*data).Write(awsconfig.Profile{Name: name, AccessKeyID: res.AccessKeyId,
		SecretAccessKey: res.SecretAccessKey, EndpointURL: c.Endpoint}); err != nil {
		fmt.Fprintln(stderr, "rolegate account create: writing the profile:", err)
		return 1
	}
	json.NewEncoder(stdout).Encode(map[string]string{"AccountId": res.Account.Id, "AccessKeyId": res.AccessKeyId, "SecretAccessKey": res.SecretAccessKey})
	return 0
}
