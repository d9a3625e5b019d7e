/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * org.gnome.Semblance1 (org.gnome.Semblance1.xml) at /org/gnome/Semblance1:
 * the generated skeleton, its methods answered by a SemblanceService and
 * its properties and signals following it.
 */
#pragma once

#include "semblance-service.h"

G_BEGIN_DECLS

#define SEMBLANCE_DBUS_OBJECT_PATH "/org/gnome/Semblance1"

#define SEMBLANCE_TYPE_DBUS_OBJECT (semblance_dbus_object_get_type ())
G_DECLARE_FINAL_TYPE (SemblanceDBusObject, semblance_dbus_object, SEMBLANCE,
                      DBUS_OBJECT, GObject)

SemblanceDBusObject *semblance_dbus_object_new (SemblanceService *service);

/* Exports the object on @connection; it stays until the object goes. */
gboolean semblance_dbus_object_export (SemblanceDBusObject *self,
                                       GDBusConnection *connection,
                                       GError **error);

G_END_DECLS
