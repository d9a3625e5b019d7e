/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A player's first use of the installed engine: similar-async DATABASE URI */
#include <semblance.h>

static void
on_similar (GObject *library, GAsyncResult *result, gpointer loop)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = semblance_library_similar_finish
      (SEMBLANCE_LIBRARY (library), result, &error);

  for (guint i = 0; found && i < found->len; i++)
    g_print ("%s\n", ((SemblanceResult *) found->pdata[i])->uri);
  if (!found)
    g_printerr ("%s\n", error->message);
  g_main_loop_quit (loop);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SemblanceLibrary) library = semblance_library_new (argv[1],
      NULL, &error);
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const char *seeds[] = { argv[2], NULL };

  if (!library)
    return g_printerr ("%s\n", error->message), 1;
  semblance_library_similar_async (library, seeds, NULL, NULL, on_similar,
      loop);
  g_main_loop_run (loop);
  return 0;
}
