/*
 * What object.c and property.c share and nobody else needs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QOM_INTERNAL_H
#define QOM_INTERNAL_H

#include "qom/object.h"

/* Fills every property field of a new instance with its default. */
void object_property_set_defaults(Object *obj);
/* Releases strings and link references held by property fields. */
void object_property_free_values(Object *obj);

#endif
