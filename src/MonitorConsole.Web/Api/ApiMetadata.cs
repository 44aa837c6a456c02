namespace MonitorConsole.Web.Api;

/// <summary>
/// What an endpoint documents about its bodies beyond what ASP.NET Core infers. Request bodies are declared with
/// <see cref="DocumentedBody"/> rather than <c>Accepts&lt;T&gt;</c>: Accepts also makes routing refuse other content
/// types with a 415, while these endpoints read their bodies by hand (whatever the Content-Type) and name the bad
/// field in a 400, which must stay as it is.
/// </summary>
internal static class ApiMetadata
{
    public const string Json = "application/json";
    public const string Csv = "text/csv";

    /// <summary>A JSON body of <typeparamref name="T"/>; bad input is a 400 naming the field, an oversized body a 413.</summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder, bool required = true) =>
        builder.WithMetadata(new DocumentedBody(Json, [typeof(T)], required)).ProducesInputProblems();

    /// <summary>A JSON body that is either one <typeparamref name="TOne"/> or <typeparamref name="TMany"/>.</summary>
    public static RouteHandlerBuilder AcceptsJsonOneOf<TOne, TMany>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new DocumentedBody(Json, [typeof(TOne), typeof(TMany)], Required: true)).ProducesInputProblems();

    /// <summary>A CSV body (header row first), documented as text.</summary>
    public static RouteHandlerBuilder AcceptsCsv(this RouteHandlerBuilder builder, string description) =>
        builder.WithMetadata(new DocumentedBody(Csv, [], Required: true, description)).ProducesInputProblems();

    /// <summary>A 2xx answer that is one of two shapes, chosen by the request (one entry or a batch).</summary>
    public static RouteHandlerBuilder ProducesOneOf<TOne, TMany>(this RouteHandlerBuilder builder, int status) =>
        builder.Produces<TOne>(status).WithMetadata(new DocumentedResponse(status, [typeof(TOne), typeof(TMany)]));

    /// <summary>A streamed file (an export): the body is the file in one of the content types, not a JSON object.</summary>
    public static RouteHandlerBuilder ProducesDownload(this RouteHandlerBuilder builder, string description, params string[] contentTypes) =>
        builder.WithMetadata(new DocumentedResponse(StatusCodes.Status200OK, [], description, contentTypes));

    /// <summary>Query or path input that is checked: a 400 problem naming the field.</summary>
    public static RouteHandlerBuilder ProducesInputProblem(this RouteHandlerBuilder builder) => builder.ProducesProblem(StatusCodes.Status400BadRequest);

    private static RouteHandlerBuilder ProducesInputProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
}

/// <summary>A request body in one content type: one of <see cref="Types"/>, or text when there are none.</summary>
internal sealed record DocumentedBody(string ContentType, IReadOnlyList<Type> Types, bool Required, string? Description = null);

/// <summary>
/// A response whose schema is one of <see cref="Types"/>, or a file (binary) in <see cref="ContentTypes"/> when there
/// are none.
/// </summary>
internal sealed record DocumentedResponse(int Status, IReadOnlyList<Type> Types, string? Description = null, IReadOnlyList<string>? ContentTypes = null);
