namespace FaceService.Api.Problems;

public static class ProblemEndpointConventions
{
    /// <summary>Declares in the OpenAPI document every problem status a route can answer with.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
            builder.ProducesProblem(status);
        return builder;
    }
}
