using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FaceService.Api.Hosting;

/// <summary>
/// File parameters cannot carry a form field name in minimal APIs, so the document would show them as "Images" or
/// "Probe". The binder matches form field names case-insensitively; this names them as clients should send them.
/// </summary>
public sealed class CamelCaseFormFieldsFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is not { } content
            || !content.TryGetValue("multipart/form-data", out var multipart)
            || multipart.Schema is not OpenApiSchema { Properties: { } properties } schema)
            return;

        // Re-added in their original order, so the form in Swagger UI lists the fields as the record declares them.
        var ordered = properties.ToArray();
        properties.Clear();
        foreach (var (name, property) in ordered)
        {
            var camel = char.ToLowerInvariant(name[0]) + name[1..];
            properties[camel] = property;
            if (camel == name)
                continue;
            if (multipart.Encoding?.Remove(name, out var encoding) == true)
                multipart.Encoding[camel] = encoding;
            if (schema.Required?.Remove(name) == true)
                schema.Required.Add(camel);
        }
    }
}
