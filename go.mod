module rolegate

go 1.26

require github.com/aws/aws-sdk-go-v2 v1.47.6

require github.com/aws/smithy-go v1.28.8 // indirect
