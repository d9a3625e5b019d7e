/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The query options the daemon's front ends take, by name: the D-Bus
 * methods as an a{sv}, the HTTP API as URL parameters of the same names
 * (org.gnome.Semblance1.xml lists them). One table, so that both read them
 * alike and refuse the same mistakes.
 */
#pragma once

#include "semblance.h"

G_BEGIN_DECLS

/* Results a query may ask for, and tracks it may leave out. */
#define SEMBLANCE_SERVICE_MAX_RESULTS 500
#define SEMBLANCE_SERVICE_MAX_PREVIOUS 1000

typedef struct
{
  SemblanceQueryOptions options;
  GStrv previous;           /* tracks (as given) never among the results */
} SemblanceServiceQuery;

/* The type of option @name, or NULL when there is no such option. */
const GVariantType *semblance_service_query_option_type (const char *name);

/* Reads @asv (a{sv}, or NULL for the defaults) into @query. Fails with
 * G_IO_ERROR_INVALID_ARGUMENT naming the option: unknown, of the wrong
 * type, or out of range. */
gboolean semblance_service_query_init (SemblanceServiceQuery *query,
                                       GVariant *asv, GError **error);

void semblance_service_query_clear (SemblanceServiceQuery *query);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SemblanceServiceQuery,
                                  semblance_service_query_clear)

G_END_DECLS
