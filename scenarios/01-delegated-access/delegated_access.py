"""Scenario 1 with boto3: the same accounts, policies and refusals as scenario.sh.

Usage: delegated_access.py SCENARIO_DIR DEV_ID PROD_ID, with AWS_CONFIG_FILE and
AWS_SHARED_CREDENTIALS_FILE holding the dev and prod profiles (endpoint_url included) and
ENDPOINT the server's URL. Prints "ok ..." / "FAIL ..." lines.
"""

import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

here, dev, prod = sys.argv[1], sys.argv[2], sys.argv[3]
endpoint = os.environ["ENDPOINT"]
config = Config(retries={"max_attempts": 1, "mode": "standard"})
failed = 0


def check(what, good, detail=""):
    global failed
    if good:
        print("ok   boto3 " + what)
    else:
        failed += 1
        print("FAIL boto3 %s%s" % (what, ": " + str(detail) if detail else ""))


def refused(what, code, call, *args, **kwargs):
    try:
        got = call(*args, **kwargs)
    except ClientError as e:
        c = e.response["Error"]["Code"]
        check(what + " is refused with " + code, c == code, e)
        return
    check(what + " is refused with " + code, False, "it succeeded: %s" % got)


def doc(name, **values):
    text = open(os.path.join(here, name)).read()
    for k, v in values.items():
        text = text.replace("{{%s}}" % k, v)
    assert "{{" not in text, name
    return text


def clients(key_id, secret, token=None):
    s = boto3.Session(aws_access_key_id=key_id, aws_secret_access_key=secret,
                      aws_session_token=token, region_name="us-east-1")
    return {n: s.client(n, endpoint_url=endpoint, config=config) for n in ("sts", "s3", "iam")}


def bucket_names(s3):
    return sorted(b["Name"] for b in s3.list_buckets()["Buckets"])


prod_s = boto3.Session(profile_name="prod")
dev_s = boto3.Session(profile_name="dev")
prod_iam, prod_s3 = prod_s.client("iam", config=config), prod_s.client("s3", config=config)
dev_iam, dev_s3 = dev_s.client("iam", config=config), dev_s.client("s3", config=config)

prod_s3.create_bucket(Bucket="prod-reports")
role = prod_iam.create_role(RoleName="s3-list-role",
                            AssumeRolePolicyDocument=doc("prod-role-trust.json", DEV=dev))["Role"]
check("role ARN", role["Arn"] == "arn:aws:iam::%s:role/s3-list-role" % prod, role["Arn"])
prod_iam.put_role_policy(RoleName="s3-list-role", PolicyName="list",
                         PolicyDocument=doc("prod-role-permissions.json"))
prod_iam.create_role(RoleName="prod-internal-role",
                     AssumeRolePolicyDocument=doc("prod-internal-trust.json", PROD=prod))

dev_s3.create_bucket(Bucket="dev-scratch")
dev_iam.create_user(UserName="random_user")
dev_iam.put_user_policy(UserName="random_user", PolicyName="assume",
                        PolicyDocument=doc("dev-user-assume.json", PROD=prod))
dev_iam.put_user_policy(UserName="random_user", PolicyName="assume-internal",
                        PolicyDocument=doc("dev-user-assume-internal.json", PROD=prod))
dev_iam.put_user_policy(UserName="random_user", PolicyName="list",
                        PolicyDocument=doc("dev-user-list-buckets.json"))
key = dev_iam.create_access_key(UserName="random_user")["AccessKey"]

user = clients(key["AccessKeyId"], key["SecretAccessKey"])
check("user lists dev's buckets only", bucket_names(user["s3"]) == ["dev-scratch"], bucket_names(user["s3"]))

creds = user["sts"].assume_role(RoleArn="arn:aws:iam::%s:role/s3-list-role" % prod,
                                RoleSessionName="demo")["Credentials"]
role_c = clients(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
arn = role_c["sts"].get_caller_identity()["Arn"]
check("assumed-role ARN", arn == "arn:aws:sts::%s:assumed-role/s3-list-role/demo" % prod, arn)
check("role lists prod's buckets only", bucket_names(role_c["s3"]) == ["prod-reports"], bucket_names(role_c["s3"]))
refused("role iam list_users", "AccessDenied", role_c["iam"].list_users)
refused("role list_objects_v2", "AccessDenied", role_c["s3"].list_objects_v2, Bucket="prod-reports")
refused("role not trusting dev", "AccessDenied", user["sts"].assume_role,
        RoleArn="arn:aws:iam::%s:role/prod-internal-role" % prod, RoleSessionName="demo")

dev_iam.delete_user_policy(UserName="random_user", PolicyName="assume")
refused("user without the dev-side policy", "AccessDenied", user["sts"].assume_role,
        RoleArn="arn:aws:iam::%s:role/s3-list-role" % prod, RoleSessionName="demo")
sys.exit(1 if failed else 0)
