// Package ec2 is the small EC2 surface of rolegate: instances as records with EC2's state machine
// (pending, running, stopping, stopped, shutting-down, terminated), their tags, their IAM
// instance-profile associations, and a built-in catalog of images and instance types. Instances
// run nothing; what makes them useful is the instance metadata endpoint each running instance
// gets, which the Metadata hook opens and closes as instances change state.
package ec2
