package ec2api

import (
	"strings"

	"rolegate/internal/api/query"
	"rolegate/internal/ec2"
	"rolegate/internal/gate"
)

// tagChecks checks the resource IDs of CreateTags/DeleteTags and names the first one.
func (a *API) tagChecks(c *gate.Call, action string, ids []string, tags []ec2.Tag) (gate.Check, error) {
	if len(ids) == 0 {
		return gate.Check{}, missing("ResourceId")
	}
	chk := a.instanceCheck(c, action, ids[0])
	chk.Keys = append(chk.Keys, requestTagKeys(tags)...)
	return chk, nil
}

func (a *API) createTags(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	ids := p.Flat("ResourceId")
	tags := tagList(p, "Tag")
	if len(tags) == 0 {
		return gate.Check{}, nil, missing("Tag")
	}
	chk, err := a.tagChecks(c, "ec2:CreateTags", ids, tags)
	if err != nil {
		return chk, nil, err
	}
	return chk, func() (any, error) {
		if err := a.authorizeTags(c, chk, ids); err != nil {
			return nil, err
		}
		if err := a.EC2.CreateTags(c.Ctx, c.Account(), c.Region, ids, tags); err != nil {
			return nil, err
		}
		return returnTrue(), nil
	}, nil
}

func (a *API) deleteTags(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	ids := p.Flat("ResourceId")
	var del []ec2.TagDeletion
	var keys []ec2.Tag
	for _, t := range p.FlatStructs("Tag") {
		d := ec2.TagDeletion{Key: t.String("Key"), Value: t.String("Value"), HasValue: t.Has("Value")}
		del = append(del, d)
		keys = append(keys, ec2.Tag{Key: d.Key})
	}
	chk, err := a.tagChecks(c, "ec2:DeleteTags", ids, nil)
	if err != nil {
		return chk, nil, err
	}
	if len(keys) > 0 {
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = k.Key
		}
		chk.Keys = append(chk.Keys, gate.Key{Name: "aws:TagKeys", Values: names})
	}
	return chk, func() (any, error) {
		if err := a.authorizeTags(c, chk, ids); err != nil {
			return nil, err
		}
		if err := a.EC2.DeleteTags(c.Ctx, c.Account(), c.Region, ids, del); err != nil {
			return nil, err
		}
		return returnTrue(), nil
	}, nil
}

// authorizeTags authorizes the resources after the first with the request keys of first.
func (a *API) authorizeTags(c *gate.Call, first gate.Check, ids []string) error {
	for _, id := range ids[1:] {
		chk := a.instanceCheck(c, first.Action, id)
		for _, k := range first.Keys {
			if strings.HasPrefix(k.Name, "aws:RequestTag/") || k.Name == "aws:TagKeys" {
				chk.Keys = append(chk.Keys, k)
			}
		}
		if err := c.Authorize(chk); err != nil {
			return err
		}
	}
	return nil
}

func (a *API) describeTags(c *gate.Call, p query.Params) (gate.Check, query.Work, error) {
	fs, err := filters(p)
	if err != nil {
		return gate.Check{}, nil, err
	}
	if _, err := maxResults(p, 5, 1000); err != nil {
		return gate.Check{}, nil, err
	}
	return gate.Check{Action: "ec2:DescribeTags", Resource: "*"}, func() (any, error) {
		tags, err := a.EC2.Tags(c.Ctx, c.Account(), c.Region, fs)
		if err != nil {
			return nil, err
		}
		type item struct {
			ResourceID   string `xml:"resourceId"`
			ResourceType string `xml:"resourceType"`
			Key          string `xml:"key"`
			Value        string `xml:"value"`
		}
		out := struct {
			Tags []item `xml:"tagSet>item"`
		}{[]item{}}
		for _, t := range tags {
			out.Tags = append(out.Tags, item{t.ResourceID, t.ResourceType, t.Key, t.Value})
		}
		return out, nil
	}, nil
}
