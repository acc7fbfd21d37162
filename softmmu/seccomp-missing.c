/*
 * -sandbox on where seccomp-filter.c is not built (a host other than
 * x86-64, or no kernel headers for seccomp): refused by sandbox.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "seccomp-filter.h"

bool seccomp_filter_available(void)
{
    return false;
}

bool seccomp_filter_install(unsigned sets, Error **errp)
{
    error_setg(errp, "seccomp support is disabled");
    return false;
}
