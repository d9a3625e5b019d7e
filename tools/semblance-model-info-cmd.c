/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semblance model-info: the card of a model file. */
#include "semblance-cmd.h"
#include "semblance-model-card.h"
#include "semblance.h"

int
semblance_cmd_model_info (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) args = NULL;
  GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL,
      NULL },
    { NULL }
  };
  int status = 0;
  char **a;

  context = g_option_context_new ("[MODEL…] - show what a model is, who made "
      "it, from what, and how well it does");
  g_option_context_set_description (context,
      "Without a MODEL, the default model.\n");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr ("semblance model-info: %s\n", error->message);
    return 2;
  }
  if (!args) {
    args = g_new0 (char *, 2);
    args[0] = semblance_model_resolve (NULL, TRUE, &error);
    if (!args[0]) {
      g_printerr ("semblance model-info: %s\n", error->message);
      return 1;
    }
  }
  for (a = args; *a; a++) {
    g_autoptr (SemblanceModel) model = semblance_model_load (*a, &error);
    g_autoptr (GString) out = g_string_new (NULL);

    if (!model) {
      g_printerr ("semblance model-info: %s\n", error->message);
      g_clear_error (&error);
      status = 1;
      continue;
    }
    semblance_cmd_model_card (model, out);
    g_print ("%s%s", a == args ? "" : "\n", out->str);
  }
  return status;
}
