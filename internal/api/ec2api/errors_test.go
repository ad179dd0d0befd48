package ec2api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"rolegate/internal/testkit"
)

func TestErrorsInEC2Words(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := f.run(t, f.root, &ec2.RunInstancesInput{})
	if _, err := f.root.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(in.InstanceId)}}); err != nil {
		t.Fatal(err)
	}
	bad := f.srv.EC2(testkit.Creds{AccessKeyID: f.srv.Management.Root.AccessKeyID, SecretAccessKey: "wrong" + f.srv.Management.Root.SecretAccessKey[5:]})
	cases := []struct {
		name   string
		call   func() error
		code   string
		status int
		msg    string
	}{
		{"not found", func() error {
			_, err := f.root.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
			return err
		}, "InvalidInstanceID.NotFound", 400, "The instance ID 'i-0123456789abcdef0' does not exist"},
		{"malformed", func() error {
			_, err := f.root.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{"i-xyz"}})
			return err
		}, "InvalidInstanceID.Malformed", 400, `Invalid id: "i-xyz"`},
		{"incorrect state", func() error {
			_, err := f.root.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{aws.ToString(in.InstanceId)}})
			return err
		}, "IncorrectInstanceState", 400, "is not in a state from which it can be started"},
		{"unknown image", func() error {
			_, err := f.root.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-00000000000000000"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
			return err
		}, "InvalidAMIID.NotFound", 400, "The image id '[ami-00000000000000000]' does not exist"},
		{"bad secret", func() error {
			_, err := bad.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
			return err
		}, "AuthFailure", 401, "AWS was not able to validate the provided access credentials"},
		{"dry run allowed", func() error {
			_, err := f.dev.DescribeInstances(ctx, &ec2.DescribeInstancesInput{DryRun: aws.Bool(true)})
			return err
		}, "DryRunOperation", 412, "Request would have succeeded, but DryRun flag is set."},
		{"unknown attribute", func() error {
			_, err := f.root.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: in.InstanceId, Attribute: "color"})
			return err
		}, "InvalidParameterValue", 400, "Unknown attribute"},
		{"unknown filter", func() error {
			_, err := f.root.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{{Name: aws.String("color"), Values: []string{"x"}}}})
			return err
		}, "InvalidParameterValue", 400, "The filter 'color' is invalid"},
		{"unknown type", func() error {
			_, err := f.root.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []types.InstanceType{"x1.weird"}})
			return err
		}, "InvalidInstanceType", 400, "x1.weird"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, msg, status := apiError(t, tc.call())
			if code != tc.code || status != tc.status || !strings.Contains(msg, tc.msg) {
				t.Errorf("%s %d %q, want %s %d %q", code, status, msg, tc.code, tc.status, tc.msg)
			}
		})
	}
}

func TestCatalogAndAttributes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	imgs, err := f.root.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"},
		Filters: []types.Filter{{Name: aws.String("name"), Values: []string{"al2023-ami-*"}}, {Name: aws.String("architecture"), Values: []string{"x86_64"}}}})
	if err != nil || len(imgs.Images) != 1 || aws.ToString(imgs.Images[0].ImageId) != al2023 || imgs.Images[0].ImdsSupport != types.ImdsSupportValuesV20 {
		t.Fatalf("images = %+v %v", imgs, err)
	}
	if aws.ToString(imgs.Images[0].RootDeviceName) != "/dev/xvda" || len(imgs.Images[0].BlockDeviceMappings) != 1 {
		t.Errorf("root device %+v", imgs.Images[0])
	}
	types_, err := f.root.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []types.InstanceType{types.InstanceTypeT3Micro}})
	if err != nil || len(types_.InstanceTypes) != 1 || !aws.ToBool(types_.InstanceTypes[0].BurstablePerformanceSupported) ||
		aws.ToInt64(types_.InstanceTypes[0].MemoryInfo.SizeInMiB) != 1024 {
		t.Fatalf("instance types = %+v %v", types_, err)
	}
	in := f.run(t, f.root, &ec2.RunInstancesInput{ImageId: aws.String(al2023), DisableApiTermination: aws.Bool(true),
		UserData: aws.String("IyEvYmluL3NoCmVjaG8gaGk=")})
	if in.MetadataOptions.HttpTokens != types.HttpTokensStateRequired {
		t.Errorf("AL2023 launch without options: tokens %s", in.MetadataOptions.HttpTokens)
	}
	attr, err := f.root.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: in.InstanceId,
		Attribute: types.InstanceAttributeNameDisableApiTermination})
	if err != nil || !aws.ToBool(attr.DisableApiTermination.Value) {
		t.Fatalf("disableApiTermination = %+v %v", attr, err)
	}
	attr, err = f.root.DescribeInstanceAttribute(ctx, &ec2.DescribeInstanceAttributeInput{InstanceId: in.InstanceId,
		Attribute: types.InstanceAttributeNameUserData})
	if err != nil || aws.ToString(attr.UserData.Value) != "IyEvYmluL3NoCmVjaG8gaGk=" {
		t.Fatalf("userData = %+v %v", attr, err)
	}
	_, err = f.root.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(in.InstanceId)}})
	if code, _, _ := apiError(t, err); code != "OperationNotPermitted" {
		t.Errorf("terminate protected: %s", code)
	}
	if _, err := f.root.ModifyInstanceAttribute(ctx, &ec2.ModifyInstanceAttributeInput{InstanceId: in.InstanceId,
		DisableApiTermination: &types.AttributeBooleanValue{Value: aws.Bool(false)}}); err != nil {
		t.Fatal(err)
	}
	mo, err := f.root.ModifyInstanceMetadataOptions(ctx, &ec2.ModifyInstanceMetadataOptionsInput{InstanceId: in.InstanceId,
		HttpTokens: types.HttpTokensStateOptional, InstanceMetadataTags: types.InstanceMetadataTagsStateEnabled})
	if err != nil || mo.InstanceMetadataOptions.HttpTokens != types.HttpTokensStateOptional {
		t.Fatalf("ModifyInstanceMetadataOptions = %+v %v", mo, err)
	}
	if got := f.describe(t, aws.ToString(in.InstanceId)); got.MetadataOptions.InstanceMetadataTags != types.InstanceMetadataTagsStateEnabled {
		t.Errorf("metadata options %+v", got.MetadataOptions)
	}
	if _, err := f.root.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(in.InstanceId)}}); err != nil {
		t.Errorf("terminate after clearing protection: %v", err)
	}
	credits, err := f.root.DescribeInstanceCreditSpecifications(ctx, &ec2.DescribeInstanceCreditSpecificationsInput{InstanceIds: []string{aws.ToString(in.InstanceId)}})
	if err != nil || len(credits.InstanceCreditSpecifications) != 1 || aws.ToString(credits.InstanceCreditSpecifications[0].CpuCredits) != "standard" {
		t.Errorf("credit specifications of a t2.micro = %+v %v", credits, err)
	}
	zones, err := f.root.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil || len(zones.AvailabilityZones) != 3 || aws.ToString(zones.AvailabilityZones[0].ZoneId) != "use1-az1" {
		t.Errorf("zones = %+v %v", zones, err)
	}
}

func TestTagsAndPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	out, err := f.root.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(ubuntu), MinCount: aws.Int32(7), MaxCount: aws.Int32(7)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range out.Instances {
		ids = append(ids, aws.ToString(in.InstanceId))
	}
	if _, err := f.dev.CreateTags(ctx, &ec2.CreateTagsInput{Resources: ids[:2], Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}); err != nil {
		t.Fatal(err)
	}
	tags, err := f.dev.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{{Name: aws.String("key"), Values: []string{"team"}}}})
	if err != nil || len(tags.Tags) != 2 || tags.Tags[0].ResourceType != types.ResourceTypeInstance {
		t.Fatalf("tags = %+v %v", tags, err)
	}
	if _, err := f.dev.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: ids[:1], Tags: []types.Tag{{Key: aws.String("team")}}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = f.dev.DescribeTags(ctx, &ec2.DescribeTagsInput{})
	if len(tags.Tags) != 1 {
		t.Errorf("after delete: %+v", tags.Tags)
	}
	_, err = f.dev.CreateTags(ctx, &ec2.CreateTagsInput{Resources: ids[:1], Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("1")}}})
	if code, _, _ := apiError(t, err); code != "InvalidParameterValue" {
		t.Errorf("reserved tag: %s", code)
	}
	seen := map[string]bool{}
	pages := ec2.NewDescribeInstancesPaginator(f.root, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
	for n := 0; pages.HasMorePages(); n++ {
		page, err := pages.NextPage(ctx)
		if err != nil || n > 3 {
			t.Fatalf("page %d: %v", n, err)
		}
		for _, r := range page.Reservations {
			for _, in := range r.Instances {
				seen[aws.ToString(in.InstanceId)] = true
			}
		}
	}
	if len(seen) != 7 {
		t.Errorf("paginator saw %d instances, want 7", len(seen))
	}
}
