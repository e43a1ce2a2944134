using System.Text;

namespace NeoWorker.Deployment.Tests.Infrastructure;

/// <summary>
/// The YAML subset docker-compose.yml is written in: block mappings and sequences, plain and quoted
/// scalars, flow sequences (<c>[a, "b"]</c>), comments. Anchors, flow mappings and multi-line
/// scalars are refused, so the file stays readable by this parser (and by people).
/// Mappings come back as <see cref="Dictionary{TKey,TValue}"/>, sequences as <see cref="List{T}"/>,
/// scalars as strings (no type conversion), empty values as null.
/// </summary>
internal static class MiniYaml
{
    private sealed record Line(int Number, int Indent, string Text);

    public static object? Parse(string yaml)
    {
        var lines = new List<Line>();
        var number = 0;
        foreach (var raw in yaml.Split('\n'))
        {
            number++;
            var text = StripComment(raw.TrimEnd('\r'));
            if (text.Trim().Length == 0)
            {
                continue;
            }

            if (text.Contains('\t', StringComparison.Ordinal) && text.TrimStart(' ').StartsWith('\t'))
            {
                throw new FormatException($"line {number}: tab indentation");
            }

            var indent = text.Length - text.TrimStart(' ').Length;
            lines.Add(new Line(number, indent, text.Trim()));
        }

        var position = 0;
        var result = lines.Count == 0 ? null : ParseBlock(lines, ref position, lines[0].Indent);
        if (position != lines.Count)
        {
            throw new FormatException($"line {lines[position].Number}: unexpected indentation");
        }

        return result;
    }

    private static object ParseBlock(List<Line> lines, ref int position, int indent) =>
        IsSequenceItem(lines[position].Text)
            ? ParseSequence(lines, ref position, indent)
            : ParseMapping(lines, ref position, indent);

    private static bool IsSequenceItem(string text) => text == "-" || text.StartsWith("- ", StringComparison.Ordinal);

    private static List<object?> ParseSequence(List<Line> lines, ref int position, int indent)
    {
        var items = new List<object?>();
        while (position < lines.Count && lines[position].Indent == indent && IsSequenceItem(lines[position].Text))
        {
            var line = lines[position];
            var rest = line.Text.Length > 1 ? line.Text[2..].TrimStart() : "";
            if (rest.Length == 0)
            {
                position++;
                items.Add(position < lines.Count && lines[position].Indent > indent ? ParseBlock(lines, ref position, lines[position].Indent) : null);
            }
            else if (SplitKey(rest) is not null)
            {
                // "- key: value": a mapping whose keys sit two columns in
                var inner = indent + (line.Text.Length - rest.Length);
                lines[position] = line with { Indent = inner, Text = rest };
                items.Add(ParseMapping(lines, ref position, inner));
            }
            else
            {
                items.Add(Scalar(rest, line.Number));
                position++;
            }
        }

        return items;
    }

    private static Dictionary<string, object?> ParseMapping(List<Line> lines, ref int position, int indent)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (position < lines.Count && lines[position].Indent == indent)
        {
            var line = lines[position];
            var split = SplitKey(line.Text) ?? throw new FormatException($"line {line.Number}: expected 'key: value', found '{line.Text}'");
            var (key, value) = split;
            if (!map.TryAdd(key, null))
            {
                throw new FormatException($"line {line.Number}: duplicate key '{key}'");
            }

            position++;
            if (value.Length > 0)
            {
                map[key] = Scalar(value, line.Number);
            }
            else if (position < lines.Count && lines[position].Indent > indent)
            {
                map[key] = ParseBlock(lines, ref position, lines[position].Indent);
            }
            else if (position < lines.Count && lines[position].Indent == indent && IsSequenceItem(lines[position].Text))
            {
                map[key] = ParseSequence(lines, ref position, indent);
            }
        }

        if (position < lines.Count && lines[position].Indent > indent)
        {
            throw new FormatException($"line {lines[position].Number}: unexpected indentation");
        }

        return map;
    }

    /// <summary>"key: value" or "key:" (quoted keys allowed); null when the text is no mapping entry.</summary>
    private static (string Key, string Value)? SplitKey(string text)
    {
        if (text.StartsWith('"') || text.StartsWith('\''))
        {
            var end = QuotedEnd(text, 0);
            if (end < 0 || end + 1 >= text.Length || text[end + 1] != ':')
            {
                return null;
            }

            var rest = text[(end + 2)..];
            return rest.Length == 0 || rest[0] == ' ' ? (Unquote(text[..(end + 1)]), rest.Trim()) : null;
        }

        if (text.StartsWith('[') || text.StartsWith('{'))
        {
            return null;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                return (text[..i].Trim(), text[(i + 1)..].Trim());
            }
        }

        return null;
    }

    private static object? Scalar(string text, int lineNumber)
    {
        if (text.StartsWith('&') || text.StartsWith('*') || text.StartsWith("<<", StringComparison.Ordinal))
        {
            throw new FormatException($"line {lineNumber}: anchors and aliases are not supported");
        }

        if (text.StartsWith('|') || text.StartsWith('>'))
        {
            throw new FormatException($"line {lineNumber}: multi-line scalars are not supported");
        }

        if (text.StartsWith('{'))
        {
            throw new FormatException($"line {lineNumber}: flow mappings are not supported");
        }

        if (text.StartsWith('['))
        {
            if (!text.EndsWith(']'))
            {
                throw new FormatException($"line {lineNumber}: unterminated flow sequence");
            }

            return SplitFlow(text[1..^1], lineNumber).Select(item => (object?)Unquote(item)).ToList();
        }

        return Unquote(text);
    }

    private static List<string> SplitFlow(string body, int lineNumber)
    {
        var items = new List<string>();
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] is '"' or '\'')
            {
                i = QuotedEnd(body, i);
                if (i < 0)
                {
                    throw new FormatException($"line {lineNumber}: unterminated quoted string");
                }
            }
            else if (body[i] == ',')
            {
                items.Add(body[start..i].Trim());
                start = i + 1;
            }
        }

        var last = body[start..].Trim();
        if (last.Length > 0)
        {
            items.Add(last);
        }

        return items;
    }

    /// <summary>Index of the quote that closes the quoted string starting at <paramref name="start"/>, or -1.</summary>
    private static int QuotedEnd(string text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }

    private static string Unquote(string text)
    {
        if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'')
        {
            return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        }

        if (text.Length < 2 || text[0] != '"' || text[^1] != '"')
        {
            return text;
        }

        var result = new StringBuilder();
        for (var i = 1; i < text.Length - 1; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            i++;
            result.Append(text[i] switch
            {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '0' => '\0',
                _ => text[i],
            });
        }

        return result.ToString();
    }

    /// <summary>The line without a comment: '#' at its start or after a space, outside quotes.</summary>
    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] is '"' or '\'' && (i == 0 || line[i - 1] is ' ' or '[' or ',' or ':' or '-'))
            {
                var end = QuotedEnd(line, i);
                if (end > 0)
                {
                    i = end;
                }
            }
            else if (line[i] == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return line;
    }
}
