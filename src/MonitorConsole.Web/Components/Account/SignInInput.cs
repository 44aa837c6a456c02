using System.ComponentModel.DataAnnotations;

namespace MonitorConsole.Web.Components.Account;

public sealed class SignInInput
{
    [Required(ErrorMessage = "Enter your user name.")]
    public string UserName { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    public string Password { get; set; } = "";
}

public sealed class SetupInput
{
    public string Token { get; set; } = "";

    [Required(ErrorMessage = "Choose a user name.")]
    [StringLength(64, ErrorMessage = "At most 64 characters.")]
    public string UserName { get; set; } = "";

    [Required(ErrorMessage = "Choose a password.")]
    public string Password { get; set; } = "";

    [Compare(nameof(Password), ErrorMessage = "The passwords differ.")]
    public string ConfirmPassword { get; set; } = "";

    public bool LoadDemoData { get; set; }
}
