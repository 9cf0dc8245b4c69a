using System;
using SmimeAdmin.HelpCompiler;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: HelpCompiler <docs folder> <output folder>");
    Console.Error.WriteLine("  Compiles <docs>/Verb-Noun.md (platyPS schema 2.0.0) into the MAML file each page's front matter names,");
    Console.Error.WriteLine("  and <docs>/about_*.md into about_*.help.txt, all in <output folder>.");
    return 2;
}

try
{
    foreach (string file in HelpCompilation.Compile(args[0], args[1]))
    {
        Console.WriteLine($"Wrote {file}");
    }

    return 0;
}
catch (AggregateException e)
{
    foreach (Exception error in e.InnerExceptions)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    return 1;
}
