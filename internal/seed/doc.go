// Package seed fills a data directory with many accounts, each holding roles, users, groups and
// customer managed policies of realistic shapes (5 to 20 statements with conditions and
// wildcards), writing the stored records directly rather than going through the API, so that a
// million policies load in minutes. The server reads them back exactly as if they had been
// created through IAM. It also creates one fixed "bench" principal whose requests the benchmark
// harness replays at every store size.
package seed
