package iam

import (
	"context"
	"errors"
	"strings"
	"time"

	"rolegate/internal/api/awserr"
	"rolegate/internal/store"
)

// CreateVirtualMFADevice creates a virtual MFA device holding seed (base32), sealed at rest.
func (s *Service) CreateVirtualMFADevice(ctx context.Context, account, name, path, seed string, tags []Tag) (*MFADevice, error) {
	d := &MFADevice{Account: account, Name: name, Path: orRoot(path), Created: s.now(), Tags: tags}
	d.SealedSeed = s.cfg.Box.Seal([]byte(seed), []byte(d.Serial()))
	err := s.update(ctx, account, func(tx store.Tx) error {
		err := insert(tx, tMFA, key(account, name), d)
		if errors.Is(err, store.ErrExists) {
			return awserr.New(awserr.EntityAlreadyExists, "MFADevice entity at the same path and name already exists.")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ParseMFASerial splits arn:aws:iam::ACCOUNT:mfa/PATH/NAME.
func ParseMFASerial(serial string) (account, name string, ok bool) {
	const pre = "arn:aws:iam::"
	if !strings.HasPrefix(serial, pre) {
		return "", "", false
	}
	account, res, ok := strings.Cut(serial[len(pre):], ":")
	if !ok || !strings.HasPrefix(res, "mfa/") {
		return "", "", false
	}
	return account, res[strings.LastIndexByte(res, '/')+1:], true
}

func (s *Service) mfa(tx store.Tx, serial string) (*MFADevice, error) {
	account, name, ok := ParseMFASerial(serial)
	if ok {
		d, err := get[MFADevice](tx, tMFA, key(account, name))
		if err == nil && d.Serial() == serial {
			return d, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	return nil, notFound("VirtualMFADevice with serial number %s doesn't exist.", serial)
}

// MFADevice returns a device by serial number with its seed.
func (s *Service) MFADevice(ctx context.Context, serial string) (*MFADevice, string, error) {
	var d *MFADevice
	err := s.view(ctx, func(tx store.Tx) error {
		var err error
		d, err = s.mfa(tx, serial)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	seed, err := s.cfg.Box.Open(d.SealedSeed, []byte(d.Serial()))
	if err != nil {
		return nil, "", awserr.From(err, awserr.InternalFailure)
	}
	return d, string(seed), nil
}

// EnableMFADevice assigns a device to a user; verify checks the two consecutive codes against the
// seed and returns the last time step they used.
func (s *Service) EnableMFADevice(ctx context.Context, account, userName, serial string, verify func(seed string) (int64, error)) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		d, err := s.mfa(tx, serial)
		if err != nil || d.Account != account {
			return notFound("VirtualMFADevice with serial number %s doesn't exist.", serial)
		}
		if d.UserName != "" {
			return awserr.New(awserr.EntityAlreadyExists, "MFA Device is already in use.")
		}
		seed, err := s.cfg.Box.Open(d.SealedSeed, []byte(d.Serial()))
		if err != nil {
			return awserr.From(err, awserr.InternalFailure)
		}
		step, err := verify(string(seed))
		if err != nil {
			return err
		}
		d.UserName, d.Enabled, d.LastStep = u.Name, s.now(), step
		if err := put(tx, tMFA, key(account, d.Name), d); err != nil {
			return err
		}
		return put(tx, tUserMFA, key(account, u.Name, d.Name), map[string]string{"serial": d.Serial()})
	})
}

// UseMFACode checks a code for a device and records its time step so the same code cannot be used
// again. check returns the matching step for the seed or an error.
func (s *Service) UseMFACode(ctx context.Context, serial string, check func(seed string, lastStep int64) (int64, error)) (*MFADevice, error) {
	var d *MFADevice
	account, _, _ := ParseMFASerial(serial)
	err := s.update(ctx, account, func(tx store.Tx) error {
		var err error
		if d, err = s.mfa(tx, serial); err != nil {
			return err
		}
		seed, err := s.cfg.Box.Open(d.SealedSeed, []byte(d.Serial()))
		if err != nil {
			return awserr.From(err, awserr.InternalFailure)
		}
		step, err := check(string(seed), d.LastStep)
		if err != nil {
			return err
		}
		d.LastStep = step
		return put(tx, tMFA, key(d.Account, d.Name), d)
	})
	return d, err
}

// DeactivateMFADevice removes a device from its user.
func (s *Service) DeactivateMFADevice(ctx context.Context, account, userName, serial string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		u, err := s.user(tx, account, userName)
		if err != nil {
			return err
		}
		d, err := s.mfa(tx, serial)
		if err != nil || d.Account != account || !strings.EqualFold(d.UserName, u.Name) {
			return notFound("MFA Device with serial number %s does not exist.", serial)
		}
		d.UserName, d.Enabled = "", time.Time{}
		if err := put(tx, tMFA, key(account, d.Name), d); err != nil {
			return err
		}
		return tx.Delete(tUserMFA, key(account, u.Name, d.Name))
	})
}

// DeleteVirtualMFADevice deletes a device that is not assigned.
func (s *Service) DeleteVirtualMFADevice(ctx context.Context, account, serial string) error {
	return s.update(ctx, account, func(tx store.Tx) error {
		d, err := s.mfa(tx, serial)
		if err != nil || d.Account != account {
			return notFound("VirtualMFADevice with serial number %s doesn't exist.", serial)
		}
		if d.UserName != "" {
			return conflict("MFA device is already in use.")
		}
		return tx.Delete(tMFA, key(account, d.Name))
	})
}

// MFADevices lists the devices of account; assigned filters ("Assigned", "Unassigned", "Any"),
// and userName, when set, keeps only that user's devices.
func (s *Service) MFADevices(ctx context.Context, account, assigned, userName string) ([]*MFADevice, error) {
	var out []*MFADevice
	err := s.view(ctx, func(tx store.Tx) error {
		if userName != "" {
			if _, err := s.user(tx, account, userName); err != nil {
				return err
			}
		}
		all, err := scanAll[MFADevice](tx, tMFA, account+"/")
		for _, d := range all {
			switch {
			case userName != "" && !strings.EqualFold(d.UserName, userName):
			case assigned == "Assigned" && d.UserName == "":
			case assigned == "Unassigned" && d.UserName != "":
			default:
				out = append(out, d)
			}
		}
		return err
	})
	return out, err
}
