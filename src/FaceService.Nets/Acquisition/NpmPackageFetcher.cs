using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace FaceService.Nets.Acquisition;

/// <summary>Fetches an npm package with <c>npm pack</c> and unpacks its tarball (no Node code is run).</summary>
public sealed class NpmPackageFetcher(string npmExecutable = "npm")
{
    /// <summary>Runs <c>npm pack spec</c> in a fresh temporary directory and unpacks the tarball into <paramref name="destination"/>.</summary>
    public void FetchAndUnpack(string spec, string destination)
    {
        var workDirectory = Directory.CreateTempSubdirectory("facetrain-npm-pack-");
        try
        {
            var tarball = Pack(spec, workDirectory.FullName);
            Unpack(tarball, destination);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    /// <returns>The path of the downloaded <c>.tgz</c>.</returns>
    public string Pack(string spec, string workDirectory)
    {
        var start = new ProcessStartInfo(npmExecutable)
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(spec);
        start.ArgumentList.Add("--silent");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"could not start {npmExecutable}");
        }
        catch (Win32Exception e)
        {
            throw new ModelAcquisitionException(
                $"'{npmExecutable}' was not found or could not be started ({e.Message}). The models come from the npm package " +
                $"{spec}: install Node.js, which includes npm (https://nodejs.org, or e.g. 'apt-get install nodejs npm'), " +
                "make sure 'npm' is on PATH, and run the command again.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new ModelAcquisitionException(
                    $"'{npmExecutable} pack {spec}' failed with exit code {process.ExitCode}:" + Environment.NewLine +
                    Tail(stderr.Result + stdout.Result) + Environment.NewLine +
                    "Check the network connection to the npm registry ('npm config get registry') and try again.");
        }
        return Directory.GetFiles(workDirectory, "*.tgz").SingleOrDefault()
            ?? throw new ModelAcquisitionException($"'{npmExecutable} pack {spec}' succeeded but left no .tgz in {workDirectory}");
    }

    /// <summary>Extracts the regular files of a gzipped tarball; entries escaping <paramref name="destination"/> are refused.</summary>
    public static void Unpack(string tarball, string destination)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        using var file = File.OpenRead(tarball);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                continue;
            var target = Path.GetFullPath(Path.Combine(root, entry.Name));
            if (!target.StartsWith(root, StringComparison.Ordinal))
                throw new ModelAcquisitionException($"{tarball}: entry '{entry.Name}' points outside the destination; refusing to unpack");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: true);
        }
    }

    private static string Tail(string text, int lines = 15) =>
        string.Join(Environment.NewLine, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines).Select(l => "  " + l.TrimEnd()));
}
