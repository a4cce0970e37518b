//! Every localized word regen recognizes, in one table: supporting a new locale means adding a
//! [`Locale`] entry here and nothing else.
//!
//! Meta translates a page's chrome and section words but leaves the API's own descriptions in
//! English, so the parser matches these phrases in every locale at once (a zh-CN page may well
//! print zh-TW's `必填`); the page's locale is only the one whose phrases it uses most.
//!
//! How a phrase matches follows from its [`Phrase`] kind (see [`Phrase::matching`]); text with
//! `{placeholders}` is a template whose pieces are captured. Entries marked `assumed` are not
//! attested by the seed pages and are our best reading of Meta's localized UI.

use waba_codegen::spec::raw::OpKind;

/// Sections inside a page or an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The parameters table of an operation.
    Parameters,
    /// The fields of a node, or the result description of an edge read.
    Fields,
    /// The edges table of a node.
    Edges,
    /// An error-code table.
    ErrorCodes,
    /// The return type of an operation.
    ReturnType,
    /// Permission / ID / token bullets.
    Requirements,
    /// A bare "Example" label.
    Example,
    /// A code sample (request or response); holds the request path.
    CodeSample,
    /// The page's trailing "Supported values" notes.
    SupportedValues,
    /// A section of a page in an unknown locale whose structure says nothing (never a phrase).
    Unread,
}

/// The tables a page prints, recognized by their header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Parameter | Description.
    Param,
    /// Field | Description.
    Field,
    /// Edge | Description.
    Edge,
    /// Error | Description.
    Error,
}

/// Sentences that point an operation at another endpoint's path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    /// "You can update a {node} by making a {method} request to {path}."
    Update,
    /// "You can dissociate a {node} from a {other} by making a {method} request to {path}."
    Dissociate,
}

/// What a phrase means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phrase {
    /// The version-selector label right above the page title (chrome ends here).
    VersionSelector,
    /// An operation heading.
    Op(OpKind),
    /// A section heading.
    Section(Section),
    /// A table header row (matched with all white space removed, as renderers differ in it).
    Header(Table),
    /// The "required" marker of a parameter.
    Required,
    /// The "default" marker a table cell may end with (a link to the default fields).
    Default,
    /// "You can't perform this operation on this endpoint."
    Unsupported,
    /// "This endpoint doesn't have any parameters."
    NoParams,
    /// Read-after-write support (matched anywhere in the line).
    ReadAfterWrite,
    /// Start of an edge read's result description.
    EdgeResult,
    /// "A list of {node} nodes." (the edge read's return type).
    ListOf,
    /// "The following fields will be added to each node that is returned:"
    AddedFields,
    /// The pagination pointer of an edge read (prefix).
    PagingNote,
    /// The explanation of an edge read's `summary` (prefix).
    SummaryNote,
    /// "The following API calls are subject to … Rate Limits:" (prefix).
    RateLimits,
    /// "For more information on how to use the API, see …" (prefix).
    SeeAlso,
    /// Localized prose saying where to find the node's ID (overlay `id_note` carries it).
    IdNote,
    /// An operation documented at another path.
    Pointer(Pointer),
    /// "You can make a POST request to {edge} edge from the following paths:"
    PostPaths,
    /// "When posting to this edge, a {node} will be created."
    Creates,
    /// A line of site chrome (header, footer, sharing widgets).
    Chrome,
    /// A label of an OpenAPI-rendered page.
    Part(Part),
    /// "Content Type: …" (prefix).
    ContentType,
    /// "Schema: …" (prefix).
    Schema,
    /// "Show child attributes": the attributes that follow belong to the one above.
    ShowChildren,
    /// The glued required marker of an attribute (`namestring·required`), a suffix.
    RequiredMark,
    /// A heading whose following list is site chrome ("On this page").
    ChromeSection,
}

/// The labels of a page rendered from an OpenAPI document (one section per operation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Header parameters (transport: `Authorization`, `User-Agent`).
    HeaderParams,
    /// Path parameters.
    PathParams,
    /// Query parameters.
    QueryParams,
    /// The request body (the label may end glued with "Required"/"Optional").
    RequestBody,
    /// Responses by HTTP status.
    Responses,
    /// The closing authentication section (not an operation's).
    Authentication,
    /// Page chrome sections: the endpoint list and base URL.
    Chrome,
}

/// How a phrase is compared with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The whole line, white space collapsed, trailing sentence punctuation ignored.
    Exact,
    /// The whole line with all white space removed.
    Compact,
    /// The line starts with the phrase.
    Prefix,
    /// The line contains the phrase.
    Contains,
    /// The phrase is a template with `{placeholders}`.
    Template,
}

impl Phrase {
    /// How this kind of phrase is matched.
    pub fn matching(self, text: &str) -> Match {
        match self {
            Phrase::Header(_) => Match::Compact,
            // The selector may end a run-on line of page chrome (`…Error CodesGraph API Version`).
            Phrase::ReadAfterWrite | Phrase::IdNote | Phrase::VersionSelector => Match::Contains,
            // Converters glue the next heading or page chrome to this sentence.
            Phrase::Unsupported
            | Phrase::PagingNote
            | Phrase::SummaryNote
            | Phrase::RateLimits
            | Phrase::SeeAlso
            | Phrase::ContentType
            | Phrase::Schema
            | Phrase::Part(Part::RequestBody) => Match::Prefix,
            _ if text.contains('{') => Match::Template,
            _ => Match::Exact,
        }
    }
}

/// One locale's phrases.
#[derive(Debug)]
pub struct Locale {
    /// BCP-47-ish code as used in `spec/sources.yaml` (`en`, `zh-TW`, …).
    pub code: &'static str,
    /// Phrase table.
    pub phrases: &'static [(Phrase, &'static str)],
}

use Part as R;
use Phrase as P;
use Section as S;

/// English: also the language regen prefers and the one pointer sentences are rendered in.
const EN: &[(Phrase, &str)] = &[
    (P::VersionSelector, "Graph API Version"),
    (P::Op(OpKind::Read), "Reading"),
    (P::Op(OpKind::Create), "Creating"),
    (P::Op(OpKind::Update), "Updating"),
    (P::Op(OpKind::Delete), "Deleting"),
    (P::Section(S::Parameters), "Parameters"),
    (P::Section(S::Fields), "Fields"),
    (P::Section(S::Edges), "Edges"), // assumed
    (P::Section(S::ErrorCodes), "Error Codes"),
    (P::Section(S::ReturnType), "Return Type"), // assumed
    (P::Section(S::Requirements), "Requirements"),
    (P::Section(S::Example), "Example"),
    (P::Section(S::CodeSample), "Request"),
    (P::Section(S::CodeSample), "Response"),
    (P::Section(S::CodeSample), "Request Syntax"),
    (P::Section(S::CodeSample), "Sample Request"),
    (P::Section(S::CodeSample), "Sample Response"),
    (P::Section(S::CodeSample), "Request with {what}"),
    (P::Section(S::SupportedValues), "Supported values"),
    (P::Header(Table::Param), "Parameter Description"), // assumed
    (P::Header(Table::Field), "Field Description"),
    (P::Header(Table::Edge), "Edge Description"), // assumed
    (P::Header(Table::Error), "Error Description"),
    (P::Header(Table::Error), "Error Code Description"),
    (P::Required, "Required"),
    (P::Default, "Default"),
    (
        P::Unsupported,
        "You can't perform this operation on this endpoint.",
    ),
    (P::NoParams, "This endpoint doesn't have any parameters."),
    (P::ReadAfterWrite, "read-after-write"), // assumed
    (
        P::EdgeResult,
        "Reading from this edge will return a JSON formatted result:",
    ),
    (P::ListOf, "A list of {node} nodes."),
    (
        P::AddedFields,
        "The following fields will be added to each node that is returned:",
    ),
    (P::PagingNote, "For more details about pagination, see"),
    (P::SummaryNote, "Aggregated information about the edge"), // assumed
    (P::RateLimits, "The following API calls are subject to"),
    (
        P::SeeAlso,
        "For more information on how to use the API, see",
    ),
    (P::IdNote, "To find the ID of"), // assumed
    (
        P::Pointer(Pointer::Update),
        "You can update a {node} by making a {method} request to {path}.",
    ),
    (
        P::Pointer(Pointer::Dissociate),
        "You can dissociate a {node} from a {other} by making a {method} request to {path}.",
    ),
    (
        P::PostPaths,
        "You can make a POST request to {edge} edge from the following paths:",
    ), // assumed
    (
        P::Creates,
        "When posting to this edge, a {node} will be created.",
    ), // assumed
    (P::Chrome, "Facebook"),
    (P::Chrome, "Design a Mobile Website"),
    (P::Chrome, "View Site in Mobile | Classic"),
    (P::Chrome, "Share by:"),
    (P::Chrome, "Was this document helpful?"), // assumed
    (P::ChromeSection, "On this page"),        // assumed
    (P::ChromeSection, "On This Page"),
    (P::Part(R::HeaderParams), "Header Parameters"),
    (P::Part(R::PathParams), "Path Parameters"),
    (P::Part(R::QueryParams), "Query Parameters"),
    (P::Part(R::RequestBody), "Request Body"),
    (P::Part(R::Responses), "Responses"),
    (P::Part(R::Authentication), "Authentication"),
    (P::Part(R::Chrome), "Endpoints"),
    (P::Part(R::Chrome), "Base URL"),
    (P::ContentType, "Content Type:"),
    (P::Schema, "Schema:"),
    (P::ShowChildren, "Show child attributes"),
    (P::RequiredMark, "·required"),
    (P::Chrome, "Copy for LLM"),
    (P::Chrome, "View as Markdown"),
    (P::Chrome, "cURLJavaScriptPython"),
    (P::Chrome, "Example response"),
    (P::Chrome, "Try it"),
    (P::Chrome, "Select language"),
    (P::Chrome, "Select status code"),
    (P::Chrome, "Version"),
];

/// Traditional Chinese.
const ZH_TW: &[(Phrase, &str)] = &[
    (P::VersionSelector, "Graph API 版本"),
    (P::Op(OpKind::Read), "閱讀中"),
    (P::Op(OpKind::Create), "建立中"),
    (P::Op(OpKind::Update), "更新中"),
    (P::Op(OpKind::Delete), "正在刪除"),
    (P::Section(S::Parameters), "參數"),
    (P::Section(S::Fields), "欄位"),
    (P::Section(S::Edges), "關係連線"),
    (P::Section(S::ErrorCodes), "錯誤代碼"), // assumed (the seeds print "Error Codes")
    (P::Section(S::ReturnType), "傳回類型"),
    (P::Header(Table::Param), "參數描述"),
    (P::Header(Table::Field), "欄位說明"),
    (P::Header(Table::Edge), "關係連線描述"), // assumed
    (P::Header(Table::Error), "錯誤說明"),
    (P::Required, "必填"),
    (P::Unsupported, "你無法在此端點執行此操作。"),
    (P::NoParams, "這個端點沒有任何參數。"),
    (P::ReadAfterWrite, "寫入後讀取"),
    (P::EdgeResult, "由此關係連線進行的閱讀將回傳 JSON 格式結果:"),
    (P::ListOf, "{node} 節點的清單。"),
    (P::AddedFields, "將在每個傳回的節點新增以下欄位:"),
    (P::PagingNote, "如需更多有關分頁的詳細資料"),
    (P::SummaryNote, "與關係連線相關的彙總資訊"),
    (P::IdNote, "的編號,請前往"),
    (
        P::Pointer(Pointer::Update),
        "你可以向 {path} 發出 {method} 要求,以更新 a {node}",
    ), // assumed
    (
        P::Pointer(Pointer::Dissociate),
        "你可以向 {path} 發出 {method} 要求,將 a {node} 與 a {other} 解除關聯。",
    ), // assumed
    (P::ChromeSection, "本頁內容"), // assumed
];

/// Simplified Chinese.
const ZH_CN: &[(Phrase, &str)] = &[
    (P::VersionSelector, "图谱 API 版"),
    (P::Op(OpKind::Read), "读取"),
    (P::Op(OpKind::Create), "创建"),
    (P::Op(OpKind::Update), "更新"),
    (P::Op(OpKind::Delete), "删除"),
    (P::Section(S::Parameters), "参数"),
    (P::Section(S::Fields), "字段"),
    (P::Section(S::Edges), "连线"),
    (P::Section(S::ErrorCodes), "错误代码"),
    (P::Section(S::ReturnType), "返回类型"),
    (P::Header(Table::Param), "参数描述"),
    (P::Header(Table::Field), "字段描述"),
    (P::Header(Table::Edge), "连线描述"),
    (P::Header(Table::Error), "错误描述"),
    (P::Required, "必需"),
    (P::Unsupported, "你无法在此端点执行该操作。"),
    (P::NoParams, "这个端点不包含任何参数。"),
    (P::ReadAfterWrite, "先写后读"),
    (P::EdgeResult, "从此连线读取将返回 JSON 格式的结果:"), // assumed
    (P::ListOf, "{node} 节点列表。"),                       // assumed
    (P::AddedFields, "以下字段将被添加到返回的每个节点:"),  // assumed
    (P::PagingNote, "如需了解分页的更多详情"),              // assumed
    (P::SummaryNote, "与连线相关的汇总信息"),               // assumed
    (P::IdNote, "的编号,请前往"),
    (
        P::Pointer(Pointer::Update),
        "你可以向 {path} 发出 {method} 请求,以更新 a {node}",
    ),
    (
        P::Pointer(Pointer::Dissociate),
        "你可以向 {path} 发出 {method} 请求,将 a {node} 与 a {other} 取消关联。",
    ),
    (P::ChromeSection, "本页内容"), // assumed
];

/// Japanese.
const JA: &[(Phrase, &str)] = &[
    (P::VersionSelector, "グラフAPIバージョン"),
    (P::Op(OpKind::Read), "読み取り"),
    (P::Op(OpKind::Create), "作成"),
    (P::Op(OpKind::Update), "更新中…"),
    (P::Op(OpKind::Delete), "削除中です"),
    (P::Section(S::Parameters), "パラメーター"),
    (P::Section(S::Fields), "フィールド"),
    (P::Section(S::Edges), "エッジ"),
    (P::Section(S::ErrorCodes), "エラーコード"),
    (P::Section(S::ReturnType), "戻り値の型"),
    (P::Header(Table::Param), "パラメーター説明"),
    (P::Header(Table::Field), "フィールド説明"), // assumed
    (P::Header(Table::Edge), "エッジ説明"),      // assumed
    (P::Header(Table::Error), "エラー詳細"),
    (P::Required, "必須"),
    (
        P::Unsupported,
        "このエンドポイントではこの操作を実行できません。",
    ),
    (
        P::NoParams,
        "このエンドポイントにはパラメーターがありません。",
    ), // assumed
    (P::ReadAfterWrite, "リード‐アフター‐ライト"),
    (
        P::EdgeResult,
        "このエッジから読み取ると、JSON形式の結果が返されます:",
    ), // assumed
    (P::ListOf, "{node}ノードのリスト。"), // assumed
    (
        P::AddedFields,
        "返される各ノードに次のフィールドが追加されます:",
    ), // assumed
    (P::PagingNote, "ページネーションについて詳しくは"), // assumed
    (P::SummaryNote, "エッジに関する集計情報"), // assumed
    (P::IdNote, "のIDは、"),
    (
        P::Pointer(Pointer::Update),
        "{path}に{method}リクエストを送信して、a {node}を更新できます。",
    ), // assumed
    (
        P::Pointer(Pointer::Dissociate),
        "{path}に{method}リクエストを送信して、a {node}とa {other}の関連付けを解除できます。",
    ), // assumed
    (
        P::PostPaths,
        "{edge}のエッジにPOSTリクエストを以下のパスで送信できます:",
    ),
    (
        P::Creates,
        "このエッジにPOSTする場合、a {node}が作成されます。",
    ),
    (P::ChromeSection, "このページの内容"), // assumed
];

/// Brazilian Portuguese (the pages keep some English section words: "Requirements", "Error
/// Codes").
const PT_BR: &[(Phrase, &str)] = &[
    (P::VersionSelector, "Versão Graph API"),
    (P::Op(OpKind::Read), "Leitura"),
    (P::Op(OpKind::Create), "Criando"),
    (P::Op(OpKind::Update), "Atualizando"),
    (P::Op(OpKind::Delete), "Excluindo"),
    (P::Section(S::Parameters), "Parâmetros"),
    (P::Section(S::Fields), "Campos"),
    (P::Section(S::Edges), "Bordas"),               // assumed
    (P::Section(S::ErrorCodes), "Códigos de erro"), // assumed
    (P::Section(S::ReturnType), "Tipo de retorno"), // assumed
    (P::Section(S::Requirements), "Requisitos"),    // assumed
    (P::Section(S::Example), "Exemplo"),
    (P::Section(S::CodeSample), "Solicitação"), // assumed
    (P::Section(S::CodeSample), "Resposta"),    // assumed
    (P::Header(Table::Param), "Parâmetro Descrição"), // assumed
    (P::Header(Table::Field), "Campo Descrição"),
    (P::Header(Table::Edge), "Borda Descrição"), // assumed
    (P::Header(Table::Error), "Erro Descrição"),
    (P::Required, "Obrigatório"), // assumed
    (P::Default, "Padrão"),
    (
        P::Unsupported,
        "Não é possível executar esta operação neste ponto de extremidade.",
    ),
    (
        P::NoParams,
        "Este ponto de extremidade não tem nenhum parâmetro.",
    ),
    (
        P::EdgeResult,
        "A leitura desta borda retornará um resultado formatado em JSON:",
    ),
    (P::ListOf, "Uma lista de nós {node}."),
    (
        P::AddedFields,
        "Os seguintes campos serão adicionados a cada nó que for retornado:",
    ),
    (P::PagingNote, "Para saber mais detalhes sobre paginação"),
    (P::SummaryNote, "Informações agregadas sobre a borda"),
    (P::SeeAlso, "Se quiser saber como usar a Graph API"),
    (P::Part(R::RequestBody), "Corpo da solicitação"),
    (P::Part(R::Responses), "Respostas"),
    (P::Section(S::CodeSample), "Sintaxe da solicitação"),
    (P::Part(R::Authentication), "Autenticação"),
    (P::Part(R::Chrome), "Pontos de extremidade"),
    (P::Part(R::Chrome), "URL base"),
    (P::ContentType, "Tipo de conteúdo:"),
    (P::Schema, "Esquema:"),
    (P::ShowChildren, "Mostrar atributos secundários"),
    (P::RequiredMark, "·obrigatório"),
    (P::Chrome, "Testar"),
    (
        P::Chrome,
        "Esse conteúdo foi traduzido automaticamente. Mostrar original",
    ),
    (P::Chrome, "Selecionar idioma"),
    (P::Chrome, "Selecionar código do status"),
];

/// Every supported locale; English first, as ties in locale detection go to the first.
pub static LOCALES: &[Locale] = &[
    Locale {
        code: "en",
        phrases: EN,
    },
    Locale {
        code: "zh-TW",
        phrases: ZH_TW,
    },
    Locale {
        code: "zh-CN",
        phrases: ZH_CN,
    },
    Locale {
        code: "ja",
        phrases: JA,
    },
    Locale {
        code: "pt_BR",
        phrases: PT_BR,
    },
];

/// The English template of `phrase`, used to render localized sentences in English.
pub fn english(phrase: Phrase) -> Option<&'static str> {
    EN.iter().find(|(p, _)| *p == phrase).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_the_operation_headings() {
        for l in LOCALES {
            for kind in [OpKind::Read, OpKind::Create, OpKind::Update, OpKind::Delete] {
                assert!(
                    l.phrases.iter().any(|(p, _)| *p == Phrase::Op(kind)),
                    "{} lacks {kind:?}",
                    l.code
                );
            }
            assert!(
                l.phrases.iter().any(|(p, _)| *p == Phrase::Required),
                "{} lacks Required",
                l.code
            );
        }
    }

    #[test]
    fn every_pointer_has_an_english_rendering() {
        for p in [Pointer::Update, Pointer::Dissociate] {
            assert!(english(Phrase::Pointer(p)).is_some());
        }
    }
}
