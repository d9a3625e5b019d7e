/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-dbus-object.h"

#include "semblance-dbus-generated.h"
#include "semblance-track-variant.h"

/* Words for Describe(), as many as the sidebar shows. */
#define N_WORDS 3

struct _SemblanceDBusObject
{
  GObject parent;

  SemblanceService *service;
  SemblanceDBusSemblance1 *skeleton;
};

G_DEFINE_FINAL_TYPE (SemblanceDBusObject, semblance_dbus_object,
                     G_TYPE_OBJECT)

/* The errors of org.gnome.Semblance1.xml, beside the standard InvalidArgs. */
typedef enum
{
  DBUS_ERROR_NOT_FOUND,
  DBUS_ERROR_FAILED,
} DBusError;

static const GDBusErrorEntry dbus_errors[] = {
  { DBUS_ERROR_NOT_FOUND, "org.gnome.Semblance1.Error.NotFound" },
  { DBUS_ERROR_FAILED, "org.gnome.Semblance1.Error.Failed" },
};

static GQuark
dbus_error_quark (void)
{
  static gsize quark;

  g_dbus_error_register_error_domain ("semblance-dbus-error-quark", &quark,
      dbus_errors, G_N_ELEMENTS (dbus_errors));
  return quark;
}

/* The engine's errors as the interface names them; the message stays. */
static void
return_error (GDBusMethodInvocation *invocation, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR,
        G_DBUS_ERROR_INVALID_ARGS, error->message);
  else
    g_dbus_method_invocation_return_error_literal (invocation,
        dbus_error_quark (), g_error_matches (error, G_IO_ERROR,
            G_IO_ERROR_NOT_FOUND) ? DBUS_ERROR_NOT_FOUND : DBUS_ERROR_FAILED,
        error->message);
}

/* A call under way: its invocation, and the object to answer with. */
typedef struct
{
  SemblanceDBusObject *self;      /* held: answers always find it */
  GDBusMethodInvocation *invocation;
} Call;

static Call *
call_new (SemblanceDBusObject *self, GDBusMethodInvocation *invocation)
{
  Call *call = g_new (Call, 1);

  call->self = g_object_ref (self);
  call->invocation = g_object_ref (invocation);
  return call;
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_object_unref (call->invocation);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
on_tracks (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Call) call = data;
  SemblanceService *service = SEMBLANCE_SERVICE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tracks = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  if (tag == semblance_service_similar_async)
    tracks = semblance_service_similar_finish (service, result, &error);
  else if (tag == semblance_service_search_async)
    tracks = semblance_service_search_finish (service, result, &error);
  else
    tracks = semblance_service_path_finish (service, result, &error);
  if (!tracks) {
    return_error (call->invocation, error);
    return;
  }
  g_dbus_method_invocation_return_value (call->invocation,
      g_variant_new_tuple ((GVariant *[]) { semblance_tracks_to_variant
              (tracks, service) }, 1));
}

static gboolean
on_similar (SemblanceDBusSemblance1 *skeleton,
            GDBusMethodInvocation *invocation, const char *const *uris,
            GVariant *options, SemblanceDBusObject *self)
{
  g_auto (SemblanceServiceQuery) query = { 0 };
  g_autoptr (GError) error = NULL;

  if (!semblance_service_query_init (&query, options, &error))
    return_error (invocation, error);
  else
    semblance_service_similar_async (self->service, uris, &query,
        NULL, on_tracks, call_new (self, invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_search (SemblanceDBusSemblance1 *skeleton,
           GDBusMethodInvocation *invocation, const char *text,
           GVariant *options, SemblanceDBusObject *self)
{
  g_auto (SemblanceServiceQuery) query = { 0 };
  g_autoptr (GError) error = NULL;

  if (!semblance_service_query_init (&query, options, &error))
    return_error (invocation, error);
  else
    semblance_service_search_async (self->service, text, &query,
        NULL, on_tracks, call_new (self, invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_path (SemblanceDBusSemblance1 *skeleton, GDBusMethodInvocation *invocation,
         const char *from, const char *to, guint steps,
         SemblanceDBusObject *self)
{
  semblance_service_path_async (self->service, from, to, steps,
      NULL, on_tracks, call_new (self, invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_described (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Call) call = data;
  SemblanceService *service = SEMBLANCE_SERVICE (source);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) words = NULL;
  g_autoptr (SemblanceResult) track = semblance_service_describe_finish
      (service, result, &words, &error);

  if (!track) {
    return_error (call->invocation, error);
    return;
  }
  semblance_dbus_semblance1_complete_describe (call->self->skeleton,
      call->invocation, semblance_track_to_variant (track,
          semblance_service_get_track_id (service, track->uri)),
      (const char *const *) words);
}

static gboolean
on_describe (SemblanceDBusSemblance1 *skeleton,
             GDBusMethodInvocation *invocation, const char *uri,
             SemblanceDBusObject *self)
{
  semblance_service_describe_async (self->service, uri, N_WORDS, NULL,
      on_described, call_new (self, invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_analysed (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (Call) call = data;
  SemblanceService *service = SEMBLANCE_SERVICE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceServiceAnalysis) a =
      semblance_service_analyze_file_finish (service, result, &error);

  if (!a) {
    return_error (call->invocation, error);
    return;
  }
  semblance_dbus_semblance1_complete_analyze_file (call->self->skeleton,
      call->invocation, semblance_analysis_to_variant (a),
      semblance_tracks_to_variant (a->tracks, service));
}

static gboolean
on_analyze_file (SemblanceDBusSemblance1 *skeleton,
                 GDBusMethodInvocation *invocation, const char *uri,
                 SemblanceDBusObject *self)
{
  semblance_service_analyze_file_async (self->service, uri,
      NULL, on_analysed, call_new (self, invocation));
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_index (SemblanceDBusSemblance1 *skeleton,
          GDBusMethodInvocation *invocation, const char *const *folders,
          SemblanceDBusObject *self)
{
  g_autoptr (GError) error = NULL;

  if (semblance_service_index (self->service, folders, &error))
    semblance_dbus_semblance1_complete_index (skeleton, invocation);
  else
    return_error (invocation, error);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_pause (SemblanceDBusSemblance1 *skeleton,
          GDBusMethodInvocation *invocation, SemblanceDBusObject *self)
{
  semblance_service_set_paused (self->service, TRUE);
  semblance_dbus_semblance1_complete_pause (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
on_resume (SemblanceDBusSemblance1 *skeleton,
           GDBusMethodInvocation *invocation, SemblanceDBusObject *self)
{
  semblance_service_set_paused (self->service, FALSE);
  semblance_dbus_semblance1_complete_resume (skeleton, invocation);
  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
on_progress (SemblanceService *service, SemblanceDBusObject *self)
{
  g_autofree char *current = NULL;
  guint done, total;

  g_object_get (service, "done", &done, "total", &total, "current-file",
      &current, NULL);
  semblance_dbus_semblance1_emit_progress (self->skeleton, done, total,
      current);
}

static void
on_index_finished (SemblanceService *service, guint done, guint failures,
                   const char *error, SemblanceDBusObject *self)
{
  semblance_dbus_semblance1_emit_index_finished (self->skeleton, done,
      failures, error ? error : "");
}

SemblanceDBusObject *
semblance_dbus_object_new (SemblanceService *service)
{
  static const char *const bound[] = {
    "database", "model", "indexing", "done", "total", "failures", "current-file",
    "paused",
  };
  SemblanceDBusObject *self = g_object_new (SEMBLANCE_TYPE_DBUS_OBJECT, NULL);
  const struct
  {
    const char *signal;
    GCallback handler;
  } handlers[] = {
    { "handle-similar", G_CALLBACK (on_similar) },
    { "handle-search", G_CALLBACK (on_search) },
    { "handle-describe", G_CALLBACK (on_describe) },
    { "handle-path", G_CALLBACK (on_path) },
    { "handle-analyze-file", G_CALLBACK (on_analyze_file) },
    { "handle-index", G_CALLBACK (on_index) },
    { "handle-pause", G_CALLBACK (on_pause) },
    { "handle-resume", G_CALLBACK (on_resume) },
  };
  guint i;

  self->service = g_object_ref (service);
  self->skeleton = semblance_dbus_semblance1_skeleton_new ();
  for (i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_connect (self->skeleton, handlers[i].signal,
        handlers[i].handler, self);
  /* The service's properties have the interface's names, in lower case. */
  for (i = 0; i < G_N_ELEMENTS (bound); i++)
    g_object_bind_property (service, bound[i], self->skeleton, bound[i],
        G_BINDING_SYNC_CREATE);
  g_signal_connect (service, "progress", G_CALLBACK (on_progress), self);
  g_signal_connect (service, "index-finished",
      G_CALLBACK (on_index_finished), self);
  return self;
}

gboolean
semblance_dbus_object_export (SemblanceDBusObject *self,
                              GDBusConnection *connection, GError **error)
{
  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON
      (self->skeleton), connection, SEMBLANCE_DBUS_OBJECT_PATH, error);
}

static void
semblance_dbus_object_dispose (GObject *object)
{
  SemblanceDBusObject *self = SEMBLANCE_DBUS_OBJECT (object);

  if (self->service)
    g_signal_handlers_disconnect_by_data (self->service, self);
  if (self->skeleton) {
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON
        (self->skeleton));
    g_signal_handlers_disconnect_by_data (self->skeleton, self);
  }
  g_clear_object (&self->skeleton);
  g_clear_object (&self->service);
  G_OBJECT_CLASS (semblance_dbus_object_parent_class)->dispose (object);
}

static void
semblance_dbus_object_class_init (SemblanceDBusObjectClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = semblance_dbus_object_dispose;
}

static void
semblance_dbus_object_init (SemblanceDBusObject *self)
{
}
