bucket = "{{BUCKET}}"

endpoints = {
  s3  = "{{ENDPOINT}}"
  sts = "{{ENDPOINT}}"
  iam = "{{ENDPOINT}}"
}

assume_role = {
  role_arn     = "arn:aws:iam::{{INFRA}}:role/tofu-state"
  external_id  = "{{EXTERNAL_ID}}"
  session_name = "tofu-{{WHO}}"
}
