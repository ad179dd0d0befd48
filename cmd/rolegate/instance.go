package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"rolegate/internal/server"
)

// describedInstance is what "rolegate instance" reads of DescribeInstances.
type describedInstance struct {
	InstanceID   string `xml:"instanceId"`
	InstanceType string `xml:"instanceType"`
	State        struct {
		Name string `xml:"name"`
	} `xml:"instanceState"`
	DNSName string `xml:"dnsName"`
	Profile struct {
		Arn string `xml:"arn"`
	} `xml:"iamInstanceProfile"`
	Tags []struct {
		Key   string `xml:"key"`
		Value string `xml:"value"`
	} `xml:"tagSet>item"`
}

// runInstance implements "rolegate instance list" and "rolegate instance env ID".
func runInstance(args []string, stdout, stderr io.Writer) int {
	const usage = "usage: rolegate instance list [--region R] [--endpoint URL] [--data DIR] | instance env INSTANCE_ID [...]"
	if len(args) == 0 || args[0] != "list" && args[0] != "env" {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	verb, rest := args[0], args[1:]
	var id string
	if verb == "env" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		id, rest = rest[0], rest[1:]
	}
	fs := flag.NewFlagSet("instance "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("endpoint", os.Getenv("ROLEGATE_ENDPOINT"), "endpoint of the running server (env ROLEGATE_ENDPOINT)")
	data := fs.String("data", envOr("ROLEGATE_DATA", server.DefaultDataDir), "data directory (env ROLEGATE_DATA)")
	region := fs.String("region", envOr("AWS_REGION", "us-east-1"), "region of the instances")
	if err := fs.Parse(rest); err != nil {
		return 2
	}
	c, err := adminClient(*endpoint, *data)
	if err != nil {
		fmt.Fprintln(stderr, "rolegate instance:", err)
		return 1
	}
	c.Region = *region
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	params := url.Values{}
	if id != "" {
		params.Set("InstanceId.1", id)
	} else {
		params.Set("MaxResults", "1000")
	}
	enc := json.NewEncoder(stdout)
	for {
		var out struct {
			Reservations []struct {
				OwnerID   string              `xml:"ownerId"`
				Instances []describedInstance `xml:"instancesSet>item"`
			} `xml:"reservationSet>item"`
			NextToken string `xml:"nextToken"`
		}
		if err := c.EC2(ctx, "DescribeInstances", params, &out); err != nil {
			fmt.Fprintln(stderr, "rolegate instance "+verb+":", err)
			return 1
		}
		for _, r := range out.Reservations {
			for _, in := range r.Instances {
				md := ""
				if in.DNSName != "" {
					md = "http://" + in.DNSName
				}
				if verb == "env" {
					if md == "" {
						fmt.Fprintf(stderr, "rolegate instance env: %s is %s and has no metadata endpoint\n", in.InstanceID, in.State.Name)
						return 1
					}
					fmt.Fprintln(stdout, "export AWS_EC2_METADATA_SERVICE_ENDPOINT="+md)
					return 0
				}
				row := map[string]string{"InstanceId": in.InstanceID, "State": in.State.Name, "InstanceType": in.InstanceType,
					"Account": r.OwnerID, "Region": *region, "MetadataEndpoint": md, "InstanceProfileArn": in.Profile.Arn}
				for _, t := range in.Tags {
					if t.Key == "Name" {
						row["Name"] = t.Value
					}
				}
				enc.Encode(row)
			}
		}
		if out.NextToken == "" {
			return 0
		}
		params.Set("NextToken", out.NextToken)
	}
}
