package seed

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
)

// statement is one policy statement as stored: field order and omissions follow what IAM users
// write.
type statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]any            `json:"Principal,omitempty"`
	Action    any                       `json:"Action,omitempty"`
	NotAction any                       `json:"NotAction,omitempty"`
	Resource  any                       `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

type document struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

func (d document) String() string {
	raw, err := json.Marshal(d)
	if err != nil {
		panic("seed: policy document does not marshal: " + err.Error()) // only strings and maps
	}
	return string(raw)
}

func cond(op, key string, v any) map[string]map[string]any {
	return map[string]map[string]any{op: {key: v}}
}

var regions = []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"}

// family builds one statement about account acct from a random source; i numbers the statement
// within its document (for Sids).
type family func(r *rand.Rand, acct string, i int) statement

func team(r *rand.Rand) string { return "t" + strconv.Itoa(r.IntN(200)) }

func sid(prefix string, i int) string { return prefix + strconv.Itoa(i) }

// families are the statement shapes documents are made of: object and bucket access, instance
// control by tag, role passing, table and key access, queues, logs, functions, and a few denials
// of actions the harness never calls.
var families = []family{
	func(r *rand.Rand, acct string, i int) statement {
		t := team(r)
		return statement{Sid: sid("ObjectAccess", i), Effect: "Allow",
			Action:    []string{"s3:GetObject", "s3:PutObject", "s3:GetObjectTagging"},
			Resource:  []string{"arn:aws:s3:::" + t + "-data-" + acct + "/*", "arn:aws:s3:::" + t + "-shared-*/reports/*"},
			Condition: cond("StringEquals", "aws:PrincipalTag/team", t)}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("ListHome", i), Effect: "Allow", Action: "s3:ListBucket",
			Resource:  "arn:aws:s3:::home-" + acct + "-" + strconv.Itoa(r.IntN(50)),
			Condition: cond("StringLike", "s3:prefix", []string{"home/${aws:username}/*", "shared/*"})}
	},
	func(r *rand.Rand, _ string, i int) statement {
		return statement{Sid: sid("Describe", i), Effect: "Allow",
			Action: []string{"ec2:Describe*", "elasticloadbalancing:Describe*", "cloudwatch:Get*", "cloudwatch:List*"}, Resource: "*",
			Condition: cond("StringEquals", "aws:RequestedRegion", []string{regions[r.IntN(len(regions))], regions[r.IntN(len(regions))]})}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("InstanceControl", i), Effect: "Allow",
			Action:    []string{"ec2:StartInstances", "ec2:StopInstances", "ec2:RebootInstances"},
			Resource:  "arn:aws:ec2:*:" + acct + ":instance/*",
			Condition: cond("StringEquals", "aws:ResourceTag/team", "${aws:PrincipalTag/team}")}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("PassAppRoles", i), Effect: "Allow", Action: "iam:PassRole",
			Resource:  "arn:aws:iam::" + acct + ":role/app-" + team(r) + "-*",
			Condition: cond("StringEquals", "iam:PassedToService", []string{"ec2.amazonaws.com", "lambda.amazonaws.com"})}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("OwnItems", i), Effect: "Allow",
			Action:    []string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"},
			Resource:  "arn:aws:dynamodb:" + regions[r.IntN(len(regions))] + ":" + acct + ":table/" + team(r) + "-*",
			Condition: cond("ForAllValues:StringLike", "dynamodb:LeadingKeys", []string{"${aws:userid}", "${aws:username}-*"})}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("DecryptViaS3", i), Effect: "Allow", Action: []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  "arn:aws:kms:*:" + acct + ":key/*",
			Condition: cond("StringLike", "kms:ViaService", "s3.*.amazonaws.com")}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("Logs", i), Effect: "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			Resource: "arn:aws:logs:*:" + acct + ":log-group:/app/" + team(r) + "/*:*"}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("QueuesFromVPC", i), Effect: "Allow", Action: []string{"sqs:SendMessage", "sqs:ReceiveMessage"},
			Resource:  "arn:aws:sqs:*:" + acct + ":" + team(r) + "-*",
			Condition: cond("IpAddress", "aws:SourceIp", []string{"10." + strconv.Itoa(r.IntN(256)) + ".0.0/16", "192.168.0.0/16"})}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("InvokeUntil", i), Effect: "Allow", Action: "lambda:InvokeFunction",
			Resource:  "arn:aws:lambda:*:" + acct + ":function:" + team(r) + "-*",
			Condition: cond("DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z")}
	},
	func(_ *rand.Rand, _ string, i int) statement {
		return statement{Sid: sid("NoBucketDeletion", i), Effect: "Deny",
			Action: []string{"s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy"}, Resource: "*"}
	},
	func(_ *rand.Rand, _ string, i int) statement {
		return statement{Sid: sid("TerminateWithMFA", i), Effect: "Deny", Action: "ec2:TerminateInstances", Resource: "*",
			Condition: cond("BoolIfExists", "aws:MultiFactorAuthPresent", "false")}
	},
	func(r *rand.Rand, acct string, i int) statement {
		return statement{Sid: sid("ReadParameters", i), Effect: "Allow", NotAction: []string{"ssm:PutParameter", "ssm:DeleteParameter*"},
			Resource: "arn:aws:ssm:*:" + acct + ":parameter/" + team(r) + "/*"}
	},
}

// identityDocument returns an identity-based policy of lo to hi statements.
func identityDocument(r *rand.Rand, acct string, lo, hi int) string {
	n := lo + r.IntN(hi-lo+1)
	d := document{Version: "2012-10-17", Statement: make([]statement, n)}
	for i := range n {
		d.Statement[i] = families[r.IntN(len(families))](r, acct, i)
	}
	return d.String()
}

// trustDocument returns a role's trust policy: a service, or another account of the
// organization with an external ID, or both.
func trustDocument(r *rand.Rand, acct string) string {
	d := document{Version: "2012-10-17"}
	switch r.IntN(3) {
	case 0:
		d.Statement = []statement{{Effect: "Allow", Principal: map[string]any{"Service": []string{"ec2.amazonaws.com", "lambda.amazonaws.com"}},
			Action: "sts:AssumeRole"}}
	case 1:
		d.Statement = []statement{{Effect: "Allow", Principal: map[string]any{"AWS": "arn:aws:iam::" + acct + ":root"},
			Action:    []string{"sts:AssumeRole", "sts:TagSession"},
			Condition: map[string]map[string]any{"StringEquals": {"sts:ExternalId": "ext-" + acct}, "Bool": {"aws:MultiFactorAuthPresent": "true"}}}}
	default:
		d.Statement = []statement{
			{Effect: "Allow", Principal: map[string]any{"Service": "ecs-tasks.amazonaws.com"}, Action: "sts:AssumeRole"},
			{Effect: "Allow", Principal: map[string]any{"AWS": "arn:aws:iam::" + acct + ":root"}, Action: "sts:AssumeRole",
				Condition: cond("StringLike", "aws:PrincipalTag/team", "t1*")},
		}
	}
	return d.String()
}
