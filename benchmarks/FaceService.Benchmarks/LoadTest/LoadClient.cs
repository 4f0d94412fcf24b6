using System.Diagnostics;

namespace FaceService.Benchmarks.LoadTest;

/// <summary>One scenario at one concurrency: throughput, latency percentiles (all requests) and errors.</summary>
public sealed record LoadResult(
    string Label,
    string Scenario,
    int Concurrency,
    int Requests,
    int Errors,
    double Seconds,
    double RequestsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    IReadOnlyDictionary<string, int> ErrorKinds);

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each send a request and wait for its answer before the next, until the
/// time budget is spent or the request budget is used up. Any non-2xx answer or transport failure is an error.
/// </summary>
public static class LoadClient
{
    public static async Task<LoadResult> RunAsync(HttpClient client, string label, string scenario, Func<int, HttpRequestMessage> request,
        int concurrency, TimeSpan duration, int maxRequests)
    {
        var issued = 0;
        var errorKinds = new Dictionary<string, int>();
        var stopwatch = Stopwatch.StartNew();

        async Task<List<double>> Worker()
        {
            var latencies = new List<double>();
            while (stopwatch.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref issued);
                if (n > maxRequests)
                    break;
                using var message = request(n);
                var start = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    using var response = await client.SendAsync(message);
                    await response.Content.LoadIntoBufferAsync();
                    error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    error = e.GetType().Name;
                }
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (error is not null)
                    lock (errorKinds)
                        errorKinds[error] = errorKinds.GetValueOrDefault(error) + 1;
            }
            return latencies;
        }

        var all = (await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)))).SelectMany(l => l).ToList();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return new LoadResult(label, scenario, concurrency, all.Count, errorKinds.Values.Sum(), seconds, all.Count / seconds,
            RecallCommand.Percentile(all, 0.50), RecallCommand.Percentile(all, 0.95), RecallCommand.Percentile(all, 0.99), errorKinds);
    }
}
