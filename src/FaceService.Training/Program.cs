// facetrain: the offline tool. Subcommands are added per capability (models, prepare, targets, train, export, eval).
return 0;
