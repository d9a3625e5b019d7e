/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A URL's query (application/x-www-form-urlencoded: name=value&…, "+" for
 * a space, %XX for a byte), as the HTTP API reads it: a name may come more
 * than once ("uri=…&uri=…"), and every name and value must be UTF-8.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SemblanceHttpQuery SemblanceHttpQuery;

/* Parses @query (nullable: none). Fails with G_IO_ERROR_INVALID_ARGUMENT
 * naming the field: a bad %-escape, or a name or value that is not UTF-8. */
SemblanceHttpQuery *semblance_http_query_parse (const char *query,
                                                GError **error);

void semblance_http_query_free (SemblanceHttpQuery *query);

/* Fails naming the first field whose name is not in @names. */
gboolean semblance_http_query_check_names (SemblanceHttpQuery *query,
                                           const char *const *names,
                                           GError **error);

/* The value of @name, or NULL when it is absent. Fails when it is given
 * more than once. */
gboolean semblance_http_query_get (SemblanceHttpQuery *query,
                                   const char *name, const char **value,
                                   GError **error);

/* Every value of @name, in order (empty when absent). */
GStrv semblance_http_query_get_all (SemblanceHttpQuery *query,
                                    const char *name);

/* The values whose names are query options (semblance-query-options.h),
 * typed as the options are: an a{sv} to give
 * semblance_service_query_init(). A value that does not read as its type
 * fails, naming the field. */
GVariant *semblance_http_query_get_options (SemblanceHttpQuery *query,
                                            GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceHttpQuery, semblance_http_query_free)

G_END_DECLS
