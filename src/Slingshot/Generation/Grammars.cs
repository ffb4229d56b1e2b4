namespace Slingshot;

/// <summary>GBNF grammars for constrained output.</summary>
public static class Grammars
{
    /// <summary>The JSON value rules other grammars build on (value, object, array, string, number, integer, ws).</summary>
    public const string JsonPrimitives = """
        value  ::= object | array | string | number | ("true" | "false" | "null") ws
        object ::= "{" ws ( string ":" ws value ("," ws string ":" ws value)* )? "}" ws
        array  ::= "[" ws ( value ("," ws value)* )? "]" ws
        string ::= "\"" ( [^"\\\x7F\x00-\x1F] | "\\" (["\\bfnrt] | "u" [0-9a-fA-F]{4}) )* "\"" ws
        number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9] [1-9]{0,15})? ws
        integer ::= "-"? ([0-9] | [1-9] [0-9]{0,15}) ws
        ws     ::= | " " | "\n" [ \t]{0,20}
        """;

    /// <summary>Any JSON object (OpenAI's response_format json_object).</summary>
    public const string JsonObject = "root ::= object\n" + JsonPrimitives;
}
