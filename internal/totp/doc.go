// Package totp owns virtual MFA devices' one-time codes: RFC 6238 time-based codes over RFC 4226
// HOTP with HMAC-SHA-1, six digits and a 30-second step, as the authenticator apps that IAM's
// CreateVirtualMFADevice pairs with compute them.
//
// Seeds are the base32 text IAM returns as Base32StringSeed. The package is pure: randomness is
// an io.Reader and time a time.Time. It keeps no state either; to make each code usable once the
// caller stores the step Verify returns and passes it back as lastStep next time.
package totp
