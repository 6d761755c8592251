"""shelf: `storycast library`, every story in a folder rendered as `render`
renders it alone, on a Dask cluster (a local one by default).

- stories: the stories in the folder, and the stamps that let an
  up-to-date book be skipped without reading it;
- tasks: what workers run (synthesize a batch of lines, make a chapter's
  part, join a book), taking paths and keys and returning keys;
- graph: one book's tasks, submitted with their dependencies;
- cluster: the local cluster or an existing scheduler, and the check that
  every worker can do the work;
- run: the library, a window of books at a time, with progress."""
