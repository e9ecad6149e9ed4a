// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit test of flags_parse() and flags_parse_clear() on the mount attribute
 * table: the bits mountattr hands to mount_setattr(2), and the lists it
 * refuses.  Usage errors are printed on stderr as they would be for a user.
 * Exits non-zero on a failure.
 */
#include <stdio.h>
#include "abi.h"
#include "diag.h"
#include "flags.h"

static int failures;

#define A(x) MNTX_MOUNT_ATTR_##x

static void set_ok(const char *list, uint64_t set, uint64_t clr)
{
	uint64_t s = 0, c = 0;

	if (flags_parse(&flags_mount_attr, list, &s, &c) < 0 || s != set || c != clr) {
		fprintf(stderr, "--set '%s': set %#llx clr %#llx, expected %#llx %#llx\n", list,
			(unsigned long long)s, (unsigned long long)c, (unsigned long long)set,
			(unsigned long long)clr);
		failures++;
	}
}

static void clear_ok(const char *list, const char *against, uint64_t clr)
{
	uint64_t c = 0;

	if (flags_parse_clear(&flags_mount_attr, list, against, &c) < 0 || c != clr) {
		fprintf(stderr, "--clear '%s': clr %#llx, expected %#llx\n", list,
			(unsigned long long)c, (unsigned long long)clr);
		failures++;
	}
}

static void clear_bad(const char *list, const char *against)
{
	uint64_t c = 0;

	if (flags_parse_clear(&flags_mount_attr, list, against, &c) == 0 || c != 0) {
		fprintf(stderr, "--clear '%s' (--set '%s') was accepted\n", list, against ? against : "");
		failures++;
	}
}

int main(void)
{
	diag_set_prog("flags_clear");

	/* the kernel's atime rule: clear the whole field, set one mode */
	set_ok("noatime", A(NOATIME), A(_ATIME));
	set_ok("relatime", 0, A(_ATIME));
	set_ok("strictatime,ro", A(STRICTATIME) | A(RDONLY), A(_ATIME));
	set_ok("rw,suid", 0, A(RDONLY) | A(NOSUID));

	clear_ok("ro", NULL, A(RDONLY));
	clear_ok("nosuid,nodev,noexec", NULL, A(NOSUID) | A(NODEV) | A(NOEXEC));
	/* clearing an atime mode: back to relatime */
	clear_ok("noatime", NULL, A(_ATIME));
	clear_ok("strictatime", "ro", A(_ATIME));
	clear_ok("nosymfollow,nodiratime", "noatime,nosuid", A(NOSYMFOLLOW) | A(NODIRATIME));
	clear_ok("", NULL, 0);

	clear_bad("rw", NULL);		/* nothing to clear: it sets no bit */
	clear_bad("relatime", NULL);
	clear_bad("idmapped", NULL);	/* shown, never accepted */
	clear_bad("bogus", NULL);
	clear_ok("ro,ro", NULL, A(RDONLY));	/* a repeat is harmless, as in --set */
	clear_bad("noatime,strictatime", NULL);
	clear_bad("ro", "ro");
	clear_bad("ro", "nosuid,rw");
	clear_bad("noatime", "strictatime");
	clear_bad("nosuid,noatime", "relatime");

	if (failures)
		fprintf(stderr, "flags_clear: %d failures\n", failures);
	return failures != 0;
}
