namespace FaceService.Nets.Onnx;

/// <summary>The names taken in one ONNX graph; a new name that is taken gets the first free suffix _1, _2, ...</summary>
internal sealed class GraphNames
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    /// <summary>Marks a name the graph already has as taken.</summary>
    public void Reserve(string name) => _taken.Add(name);

    /// <summary><paramref name="name"/> if it is free, else the first free <c>name_i</c>; either way it is taken now.</summary>
    public string Claim(string name)
    {
        var candidate = name;
        for (var i = 1; !_taken.Add(candidate); i++)
            candidate = $"{name}_{i}";
        return candidate;
    }
}
