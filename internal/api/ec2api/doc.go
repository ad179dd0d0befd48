// Package ec2api is the EC2 operation table in EC2's query dialect: instances (run, describe,
// start, stop, terminate, attributes, metadata options), IAM instance-profile associations, tags,
// and the image and instance-type catalog. Every operation names what the caller must be allowed
// to do (ec2:* on the instance ARN, and iam:PassRole for the profile's role when an operation
// hands a role to EC2) before the ec2 service runs it.
package ec2api
